"""The version of each application's portal page, raised in the transaction of every change
to what the page shows of it.

The page shows the application and its candidate, the application's interviews and their
panels, the times the candidate proposed and the booking offers made to them. Every flush
that adds, changes or deletes such a row raises the counter of its application by one, in
the same transaction, so a reader that sees the new counter also sees the change, in every
process sharing the database. What the page shows of the team (its name, brand, the job and
its plan) is the careers pages' too, and their version (``careers.versions``) is part of the
page's key. Bulk statements on these tables, which name no rows, raise every team's careers
version instead.
"""

from __future__ import annotations

from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.orm import ORMExecuteState, Session

from interviewer.candidates.models import Application, Candidate
from interviewer.careers import versions as careers_versions
from interviewer.careers.models import CareersVersion
from interviewer.db import raise_counters
from interviewer.portal.models import PortalVersion
from interviewer.scheduling.models import CandidateWindow, Interview, PanelMember
from interviewer.scheduling.offer_models import BookingOffer, BookingOption

#: Rows that name their application.
BY_APPLICATION = (Interview, CandidateWindow, BookingOffer)
SHOWN = (Application, Candidate, PanelMember, BookingOption, *BY_APPLICATION)
SHOWN_TABLES = frozenset(model.__table__.name for model in SHOWN)

_application = Application.__table__.c
#: Core, not ORM: the statement every kept page costs, so it skips the ORM's work.
_CURRENT = (
    select(
        _application.portal_generation,
        _application.closed_at,
        _application.created_at,
        _application.team_id,
        Candidate.__table__.c.erased_at,
        func.coalesce(CareersVersion.__table__.c.version, 0),
        func.coalesce(PortalVersion.__table__.c.version, 0),
    )
    .select_from(
        Application.__table__.join(
            Candidate.__table__, Candidate.__table__.c.id == _application.candidate_id
        )
        .outerjoin(
            CareersVersion.__table__,
            CareersVersion.__table__.c.team_id == _application.team_id,
        )
        .outerjoin(
            PortalVersion.__table__,
            PortalVersion.__table__.c.application_id == _application.id,
        )
    )
    .where(_application.id == bindparam("application_id"))
)


def current(application_id: int, session: Session):
    """(link generation, closed at, created at, team id, candidate erased at, careers
    version, portal version) of the application, in one indexed statement; ``None`` for
    no such application."""
    # Outside a transaction in a reading request, as the careers pages read theirs.
    return session.connection().execute(_CURRENT, {"application_id": application_id}).first()


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    applications, candidates, interviews, offers = set(), set(), set(), set()
    changed = [*session.new, *session.deleted]
    changed += [i for i in session.dirty if isinstance(i, SHOWN) and session.is_modified(i)]
    for instance in changed:
        if isinstance(instance, Application):
            applications.add(instance.id)
        elif isinstance(instance, BY_APPLICATION):
            applications.add(instance.application_id)
        elif isinstance(instance, Candidate):
            candidates.add(instance.id)
        elif isinstance(instance, PanelMember):
            interviews.add(instance.interview_id)
        elif isinstance(instance, BookingOption):
            offers.add(instance.offer_id)
    for found in (applications, candidates, interviews, offers):
        found.discard(None)
    if applications or candidates or interviews or offers:
        session.connection().execute(
            _raise_statement(session, applications, candidates, interviews, offers)
        )


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in SHOWN_TABLES:
        careers_versions.raise_every_team(state.session)


def _raise_statement(session: Session, applications, candidates, interviews, offers):
    """Add one to the counter of each application named, directly or through its candidate,
    interview or offer, making its row at 1."""
    which = []
    if applications:
        which.append(Application.id.in_(sorted(applications)))
    if candidates:
        which.append(Application.candidate_id.in_(sorted(candidates)))
    if interviews:
        which.append(
            Application.id.in_(
                select(Interview.application_id).where(Interview.id.in_(sorted(interviews)))
            )
        )
    if offers:
        which.append(
            Application.id.in_(
                select(BookingOffer.application_id).where(BookingOffer.id.in_(sorted(offers)))
            )
        )
    return raise_counters(session, PortalVersion, Application.id, or_(*which))
