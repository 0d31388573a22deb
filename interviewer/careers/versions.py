"""The version of a team's careers pages, raised by every transaction that changed them.

Whatever the careers pages show comes from a few tables (the team and its logo, its open
jobs, their levels, stages, stage types, focus skills and kits). Every flush that adds,
changes or deletes a row of them notes the row's team, and the commit raises each noted
team's counter by one as its last statement, so the change and the new counter commit
together (or not at all) and the counter row is held only while the commit lands. A reader
that sees the new counter therefore also sees the change, in every process sharing the
database, and a cached page keyed by the old counter is never served again. Bulk statements
on those tables, which name no rows, raise every team's counter.
"""

from __future__ import annotations

from sqlalchemy import bindparam, event, func, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from interviewer.auth.models import Team
from interviewer.branding.models import TeamLogo
from interviewer.careers.models import CareersVersion
from interviewer.catalog.models import Level, Skill
from interviewer.kept import team_counters
from interviewer.plans.models import Job, KitVersion, PlanStage, StageType, plan_stage_focus_skill

#: The models whose rows the careers pages show.
SHOWN = (Team, TeamLogo, Job, Level, Skill, PlanStage, StageType, KitVersion)
SHOWN_TABLES = frozenset({model.__table__.name for model in SHOWN} | {plan_stage_focus_skill.name})
#: Collections whose change alters a page without changing a row of ``SHOWN``.
SHOWN_COLLECTIONS = {PlanStage: ("focus_skills",)}


#: Core, not ORM: the statement every cached page costs, so it skips the ORM's work.
_CURRENT = (
    select(
        Team.__table__.c.id,
        Team.__table__.c.created_at,
        func.coalesce(CareersVersion.__table__.c.version, 0),
    )
    .select_from(Team.__table__.outerjoin(CareersVersion.__table__))
    .where(Team.__table__.c.slug == bindparam("slug"))
)


def current(team_slug: str, session: Session) -> tuple | None:
    """The team's id, creation time (an id SQLite gives again after a delete names another
    team) and careers version, of ``team_slug``, in one indexed statement; ``None`` for no
    such team."""
    # A reading request's plain reads run outside a transaction (``read_requests``): a kept
    # page costs no BEGIN and ROLLBACK, and a page rendered after it reads its rows later.
    row = session.connection().execute(_CURRENT, {"slug": team_slug}).first()
    return tuple(row) if row is not None else None


def _team_of(instance: object) -> int | None:
    return instance.id if isinstance(instance, Team) else getattr(instance, "team_id", None)


def _changed(session: Session, instance: object) -> bool:
    if session.is_modified(instance, include_collections=False):
        return True
    state = inspect(instance)
    return any(
        state.attrs[key].history.has_changes() for key in SHOWN_COLLECTIONS.get(type(instance), ())
    )


#: The session's note of the teams whose careers rows this transaction changed (``None``:
#: every team, after a bulk statement).
CHANGED = "careers.changed_teams"


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    teams = {_team_of(i) for i in (*session.new, *session.deleted) if isinstance(i, SHOWN)}
    teams.update(
        _team_of(instance)
        for instance in session.dirty
        if isinstance(instance, SHOWN) and _changed(session, instance)
    )
    teams.discard(None)
    noted = session.info.get(CHANGED, set())
    if teams and noted is not None:
        session.info[CHANGED] = noted | teams


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in SHOWN_TABLES:
        raise_every_team(state.session)


def raise_every_team(session: Session) -> None:
    """Have this transaction raise every team's counter: after a bulk statement that names
    no rows."""
    session.info[CHANGED] = None


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # What is still pending flushes now, so that its teams are noted before the raise.
    session.flush()
    if CHANGED in session.info:
        teams = session.info.pop(CHANGED)
        session.connection().execute(team_counters(session, CareersVersion, teams))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    # A savepoint rolled back inside the transaction leaves the changes made before it.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
