"""Scorecards still owed: which (interview, interviewer) scorecards are not submitted yet.

One answer for every place that asks: the reminders (whom to remind), the dashboards (what is
overdue), the debrief and the decision (what is missing), the independence rule and its
waiting page (what keeps an interviewer from their colleagues' scorecards).

Each panel member of an interview that is not cancelled owes a scorecard for it until they
submit one; a draft is still owed. A deactivated user owes nothing: they can no longer sign
in to write it, so they are not reminded, not listed as overdue, and the debrief and the
decision do not wait for them (what they did submit stays evidence). Reactivated, they owe
again whatever they had not submitted. Independence asks the same question for the
signed-in user, who is active: their own owed scorecards for an application keep its
colleagues' scorecards closed to them (and a deactivated user, owing nothing, is shown none
of them either). Callers filter by time (``ended_by``: interviews over
by then; without it, those ahead are owed too) and by team, application or interviewer;
the dashboard narrows them to applications still in the process (active or on hold), whose
decision they hold up, so its cost follows the open pipeline, not the team's history.

The colleagues' page reads here too: every interviewer's seat at each interview of an
application, with their scorecard once they have one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from interviewer.auth.models import User
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.db import in_team
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import Scorecard, ScorecardState


@dataclass(frozen=True)
class OwedScorecard:
    """A panel member's scorecard of an interview, not submitted yet."""

    interview: Interview
    user: User
    #: They saved a draft (otherwise they have not started).
    draft: bool


#: The applications whose decision is still to be made: their owed scorecards hold it up.
IN_PROCESS = (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)


def owed(
    *,
    team_id: int | None,
    application_ids: Iterable[int] | None = None,
    user_id: int | None = None,
    ended_by: datetime | None = None,
    ended_after: datetime | None = None,
    in_process: bool = False,
) -> Select:
    """The statement of owed scorecards as (interview, user, scorecard state or ``None``) rows,
    unordered.

    ``team_id`` ``None`` asks across every team (for what the system sends). The other
    filters narrow it to these applications, this interviewer, interviews over by
    ``ended_by``, interviews that ended after ``ended_after``, applications still in the
    process (``in_process``).
    """
    query = (
        select(Interview, User, Scorecard.state)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .join(User, User.id == PanelMember.user_id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == Interview.id,
                Scorecard.interviewer_id == PanelMember.user_id,
            ),
        )
        .where(
            Interview.status != InterviewStatus.CANCELLED,
            User.active.is_(True),
            or_(Scorecard.id.is_(None), Scorecard.state != ScorecardState.SUBMITTED),
        )
    )
    if in_process:
        query = query.join(Application, Application.id == Interview.application_id).where(
            Application.status.in_(IN_PROCESS)
        )
        if team_id is not None:
            # Scoped through the application: its interviews then come from their index
            # alone, not from a scan of the team's interviews.
            query = query.where(Application.team_id == team_id)
    elif team_id is not None:
        query = query.where(Interview.team_id == team_id)
    if application_ids is not None:
        query = query.where(Interview.application_id.in_(list(application_ids)))
    if user_id is not None:
        query = query.where(PanelMember.user_id == user_id)
    if ended_by is not None:
        query = query.where(Interview.ends_at <= ended_by)
    if ended_after is not None:
        query = query.where(Interview.ends_at > ended_after)
    return query


def owed_scorecards(
    session: Session,
    *,
    team_id: int | None,
    application_ids: Iterable[int] | None = None,
    user_id: int | None = None,
    ended_by: datetime | None = None,
    ended_after: datetime | None = None,
    in_process: bool = False,
    limit: int | None = None,
    options: Sequence[LoaderOption] = (),
) -> list[OwedScorecard]:
    """The owed scorecards (filtered as ``owed`` does), oldest interview first, then by
    interviewer name; at most ``limit``. ``options`` load what the caller shows of each
    interview. One query, plus one per ``selectinload`` in ``options``.
    """
    query = (
        owed(
            team_id=team_id,
            application_ids=application_ids,
            user_id=user_id,
            ended_by=ended_by,
            ended_after=ended_after,
            in_process=in_process,
        )
        .options(*options)
        .order_by(Interview.ends_at, Interview.id, User.name, User.id)
        .limit(limit)
    )
    return [
        OwedScorecard(interview, user, draft=state == ScorecardState.DRAFT)
        for interview, user, state in session.execute(query)
    ]


def owed_summary(
    session: Session,
    *,
    team_id: int,
    ended_by: datetime,
    limit: int,
    in_process: bool = False,
    options: Sequence[LoaderOption] = (),
) -> tuple[list[OwedScorecard], int]:
    """The oldest ``limit`` owed scorecards (filtered as ``owed`` does, ordered as
    ``owed_scorecards``) and how many there are in all, in one query plus one per
    ``selectinload`` in ``options``.

    The seats are gathered once and both counted and sorted from there, so the database
    does not walk the team's interviews by date looking for the few that are owed.
    """
    seats = (
        owed(team_id=team_id, ended_by=ended_by, in_process=in_process)
        .with_only_columns(
            Interview.id.label("interview_id"),
            PanelMember.user_id.label("user_id"),
            Interview.ends_at.label("ends_at"),
            User.name.label("name"),
            Scorecard.state.label("state"),
        )
        .cte("owed_seats")
    )
    total = select(func.count()).select_from(seats).scalar_subquery()
    rows = session.execute(
        select(Interview, User, seats.c.state, total.label("total"))
        .join(seats, seats.c.interview_id == Interview.id)
        .join(User, User.id == seats.c.user_id)
        .options(*options)
        .order_by(seats.c.ends_at, seats.c.interview_id, seats.c.name, seats.c.user_id)
        .limit(limit)
    ).all()
    shown = [
        OwedScorecard(interview, user, draft=state == ScorecardState.DRAFT)
        for interview, user, state, _total in rows
    ]
    return shown, rows[0].total if rows else 0


def count_owed(
    session: Session,
    *,
    team_id: int | None,
    application_ids: Iterable[int] | None = None,
    user_id: int | None = None,
    ended_by: datetime | None = None,
    ended_after: datetime | None = None,
    in_process: bool = False,
) -> int:
    """How many scorecards are owed (filtered as ``owed`` does), counted in one query."""
    query = owed(
        team_id=team_id,
        application_ids=application_ids,
        user_id=user_id,
        ended_by=ended_by,
        ended_after=ended_after,
        in_process=in_process,
    ).with_only_columns(func.count(Interview.id))
    return session.scalar(query)


def interviews_owed_by(
    session: Session,
    user: User,
    application_id: int,
    options: Sequence[LoaderOption] = (),
) -> list[Interview]:
    """The interviews of the application for which ``user`` owes a scorecard (those ahead
    too), soonest first: what stands between them and their colleagues' scorecards."""
    owed_here = owed_scorecards(
        session,
        team_id=user.team_id,
        application_ids=[application_id],
        user_id=user.id,
        options=options,
    )
    return sorted((o.interview for o in owed_here), key=lambda interview: interview.starts_at)


def panel_seats(
    session: Session,
    team_id: int,
    application_id: int,
    card_options: Sequence[LoaderOption] = (),
) -> list[tuple[Interview, list[tuple[User, Scorecard | None]]]]:
    """Each interview of the application, soonest first, with its (interviewer, scorecard or
    ``None``) seats by name. ``card_options`` load what the caller shows of each scorecard,
    its interviewer included: an author who has since left the panel keeps their seat.

    Two queries, plus one per ``selectinload``.
    """
    interviews = session.scalars(
        in_team(Interview, team_id)
        .where(Interview.application_id == application_id)
        .options(
            selectinload(Interview.plan_stage),
            selectinload(Interview.panel).selectinload(PanelMember.user),
        )
        .order_by(Interview.starts_at)
    ).all()
    cards = session.scalars(
        in_team(Scorecard, team_id)
        .where(Scorecard.application_id == application_id)
        .options(*card_options)
    ).all()
    return _seats(interviews, cards)


def _seats(
    interviews: Sequence[Interview], cards: Sequence[Scorecard]
) -> list[tuple[Interview, list[tuple[User, Scorecard | None]]]]:
    """Each interview with its (interviewer, scorecard or None) pairs, by name.

    A scorecard whose author has since left the panel is still shown.
    """
    by_seat = {(card.interview_id, card.interviewer_id): card for card in cards}
    result = []
    for interview in interviews:
        people = {member.user_id: member.user for member in interview.panel}
        for card in cards:
            if card.interview_id == interview.id:
                people.setdefault(card.interviewer_id, card.interviewer)
        seats = [
            (person, by_seat.get((interview.id, person.id)))
            for person in sorted(people.values(), key=lambda user: user.name.lower())
        ]
        result.append((interview, seats))
    return result
