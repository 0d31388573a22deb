"""Trainees on interviews: when an interview is booked, one trainee of its stage's pool who
is free then sits in on it (the least advanced first); when it moves, a trainee no longer
free gives the seat up, and another may take it.

Connected when ``interviewer.scheduling`` is imported, so every booking path (the pages,
the API, a whole loop, the candidate's portal) adds trainees the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import User
from interviewer.db import utcnow
from interviewer.scheduling import pools, signals
from interviewer.scheduling.availability import load_availability, overlaps
from interviewer.scheduling.conflicts import panel_bookings
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scheduling.pool_models import InterviewTrainee, PoolMember, TrainingPhase


def trainee_bookings(
    session: Session, user_ids: Sequence[int], start: datetime, end: datetime, exclude_id: int
) -> set[int]:
    """The users among ``user_ids`` who sit in as trainees on another scheduled interview
    touching ``start``-``end`` (one query)."""
    if not user_ids:
        return set()
    return set(
        session.scalars(
            select(InterviewTrainee.user_id)
            .join(Interview, Interview.id == InterviewTrainee.interview_id)
            .where(
                InterviewTrainee.user_id.in_(list(user_ids)),
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.starts_at < end,
                Interview.ends_at > start,
                Interview.id != exclude_id,
            )
        )
    )


def free_people(session: Session, interview: Interview, people: Sequence[User]) -> set[int]:
    """The ids of ``people`` free for ``interview``: inside their availability, on no other
    interview's panel nor trainee seat then (a fixed number of queries)."""
    start, end = interview.starts_at, interview.ends_at
    ids = [person.id for person in people]
    busy = panel_bookings(session, ids, start, end, exclude_id=interview.id)
    sitting_in = trainee_bookings(session, ids, start, end, interview.id)
    availability = load_availability(session, people, start, end)
    return {
        person.id
        for person in people
        if person.id not in sitting_in
        and not any(overlaps([(s, e)], start, end) for s, e, _ in busy[person.id])
        and availability[person.id].check(start, end) is None
    }


def add_trainee(
    session: Session, interview: Interview, now: datetime | None = None
) -> InterviewTrainee | None:
    """Seat one trainee of the stage's pool on ``interview``: the least advanced of those
    in training and free then. ``None`` when the stage has no pool or nobody fits."""
    stage = interview.plan_stage
    pools.advance_trainees(session, [interview.team_id], now or utcnow())
    pool = pools.stage_pool(session, stage)
    panel = {member.user_id for member in interview.panel}
    trainee_ids = [
        row.member_id for row in pool.members if row.phase.in_training and row.user_id not in panel
    ]
    if not trainee_ids:
        return None
    members = session.scalars(
        select(PoolMember)
        .join(User, User.id == PoolMember.user_id)
        .where(PoolMember.id.in_(trainee_ids), User.active.is_(True))
        .options(selectinload(PoolMember.user))
    ).all()
    if not members:
        return None
    seats = dict(
        session.execute(
            select(InterviewTrainee.pool_member_id, func.count())
            .join(PoolMember, PoolMember.id == InterviewTrainee.pool_member_id)
            .join(Interview, Interview.id == InterviewTrainee.interview_id)
            .where(
                InterviewTrainee.pool_member_id.in_([m.id for m in members]),
                InterviewTrainee.phase == PoolMember.phase,
                Interview.status == InterviewStatus.SCHEDULED,
                Interview.ends_at > PoolMember.phase_since,
            )
            .group_by(InterviewTrainee.pool_member_id)
        ).all()
    )
    free = free_people(session, interview, [member.user for member in members])
    # Least advanced: the earliest phase first, then the fewest interviews in it so far.
    ranked = sorted(
        (m for m in members if m.user_id in free),
        key=lambda m: (m.phase.rank, seats.get(m.id, 0), m.user.name, m.id),
    )
    if not ranked:
        return None
    chosen = ranked[0]
    trainee = InterviewTrainee(
        team_id=interview.team_id,
        interview_id=interview.id,
        user_id=chosen.user_id,
        pool_member_id=chosen.id,
        phase=chosen.phase,
    )
    session.add(trainee)
    session.flush()
    return trainee


def release_clashing_seats(session: Session, interview: Interview) -> None:
    """The panel comes first: a member of ``interview``'s panel gives up a trainee seat on
    another interview at the same time, which may then seat another trainee."""
    panel = [member.user_id for member in interview.panel]
    clashing = session.scalars(
        select(InterviewTrainee)
        .join(Interview, Interview.id == InterviewTrainee.interview_id)
        .where(
            InterviewTrainee.user_id.in_(panel),
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.starts_at < interview.ends_at,
            Interview.ends_at > interview.starts_at,
            Interview.id != interview.id,
        )
        .options(selectinload(InterviewTrainee.interview))
    ).all()
    for seat in clashing:
        session.delete(seat)
    session.flush()
    for other in {seat.interview_id: seat.interview for seat in clashing}.values():
        add_trainee(session, other)


@signals.interview_scheduled.connect
def seat_trainee(sender: Interview, *, session: Session, **kwargs: object) -> None:
    """A newly booked interview takes one trainee of its stage's pool."""
    release_clashing_seats(session, sender)
    add_trainee(session, sender)


@signals.interview_rescheduled.connect
def recheck_trainees(sender: Interview, *, session: Session, **kwargs: object) -> None:
    """A moved interview keeps the trainees still free at its new time (and off its new
    panel); when none is left, another trainee may take the seat."""
    seated = session.scalars(
        select(InterviewTrainee)
        .where(InterviewTrainee.interview_id == sender.id)
        .options(selectinload(InterviewTrainee.user))
    ).all()
    panel = {member.user_id for member in sender.panel}
    free = free_people(session, sender, [trainee.user for trainee in seated])
    release_clashing_seats(session, sender)
    gone = [t for t in seated if t.user_id not in free or t.user_id in panel]
    for trainee in gone:
        session.delete(trainee)
    session.flush()
    if len(gone) == len(seated):
        add_trainee(session, sender)


def interview_trainees(session: Session, interview: Interview) -> list[InterviewTrainee]:
    """The trainees sitting in on ``interview``, by name, with their users (two queries)."""
    return list(
        session.scalars(
            select(InterviewTrainee)
            .join(User, User.id == InterviewTrainee.user_id)
            .where(InterviewTrainee.interview_id == interview.id)
            .options(selectinload(InterviewTrainee.user))
            .order_by(User.name)
        )
    )


__all__ = ["TrainingPhase", "add_trainee", "interview_trainees"]
