"""Interviewer pools: who may fill the panel seats of a stage, and the training path.

A stage's pool is its own (a plan stage's override) or else its stage type's. Without a pool
every active interviewer of the team may fill the seats. A member on the training path
(shadow, then reverse shadow) sits in on interviews as an extra and qualifies by the
interviews held: ``team.shadow_interviews`` as a shadow, then
``team.reverse_shadow_interviews`` as a reverse shadow. A manager may sign a trainee off early.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import Team, User
from interviewer.db import utcnow
from interviewer.plans.models import PlanStage, StageType
from interviewer.scheduling import conflicts
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scheduling.pool_models import (
    InterviewerPool,
    InterviewTrainee,
    PoolMember,
    TrainingPhase,
)


@dataclass(frozen=True)
class PoolRow:
    """One member of a stage's pool, as the checks read it."""

    member_id: int
    user_id: int
    phase: TrainingPhase


@dataclass(frozen=True)
class StagePool:
    """The pool that fills a stage's seats, ``None`` id when the stage has none."""

    pool_id: int | None
    members: list[PoolRow]

    def qualified_ids(self) -> set[int]:
        return {row.user_id for row in self.members if row.phase is TrainingPhase.QUALIFIED}


def stage_pool(session: Session, stage: PlanStage) -> StagePool:
    """The plan stage's own pool, else its stage type's, with its members (one query)."""
    rows = session.execute(
        select(
            InterviewerPool.id,
            InterviewerPool.plan_stage_id,
            PoolMember.id,
            PoolMember.user_id,
            PoolMember.phase,
        )
        .outerjoin(PoolMember, PoolMember.pool_id == InterviewerPool.id)
        .where(
            InterviewerPool.team_id == stage.team_id,
            or_(
                InterviewerPool.plan_stage_id == stage.id,
                and_(
                    InterviewerPool.stage_type_id == stage.stage_type_id,
                    InterviewerPool.plan_stage_id.is_(None),
                ),
            ),
        )
    ).all()
    if not rows:
        return StagePool(None, [])
    own = [row for row in rows if row[1] is not None]
    chosen = own or rows
    return StagePool(
        chosen[0][0],
        [PoolRow(member, user, phase) for _, _, member, user, phase in chosen if member],
    )


def qualified_interviewers(session: Session, stage: PlanStage) -> list[User]:
    """The interviewers who may fill ``stage``'s panel seats, by name.

    The qualified, active members of the stage's pool; every active user of the team while
    the stage has no pool.
    """
    pool = stage_pool(session, stage)
    query = select(User).where(User.team_id == stage.team_id, User.active.is_(True))
    if pool.pool_id is not None:
        query = query.where(User.id.in_(pool.qualified_ids() or {-1}))
    return list(session.scalars(query.order_by(User.name, User.id)))


def check_panel_qualified(session: Session, stage: PlanStage, panel: Sequence[User]) -> None:
    """Refuse a panel that holds someone the stage's pool does not qualify (one query).

    Before refusing, the team's trainees move on by the interviews they have held since
    the last look (the worker's nightly run, a booking, the pools page)."""
    pool = stage_pool(session, stage)
    if pool.pool_id is None:
        return
    qualified = pool.qualified_ids()
    if any(user.id not in qualified for user in panel) and advance_trainees(
        session, [stage.team_id], utcnow()
    ):
        qualified = stage_pool(session, stage).qualified_ids()
    for user in panel:
        if user.id not in qualified:
            raise conflicts.SchedulingConflict(
                f"{user.name} is not qualified for {stage.stage_type.name} interviews; "
                "choose someone from its pool (Team → Interviewer pools).",
                "panel",
            )


def held_counts(
    session: Session, member_ids: Sequence[int], now: datetime
) -> dict[int, dict[TrainingPhase, int]]:
    """Per pool member, the interviews held (over, not cancelled) in each phase since the
    member entered their current phase (one query)."""
    counts: dict[int, dict[TrainingPhase, int]] = {mid: {} for mid in member_ids}
    if not member_ids:
        return counts
    rows = session.execute(
        select(InterviewTrainee.pool_member_id, InterviewTrainee.phase, func.count())
        .join(Interview, Interview.id == InterviewTrainee.interview_id)
        .join(PoolMember, PoolMember.id == InterviewTrainee.pool_member_id)
        .where(
            InterviewTrainee.pool_member_id.in_(list(member_ids)),
            InterviewTrainee.phase == PoolMember.phase,
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.ends_at <= now,
            Interview.ends_at > PoolMember.phase_since,
        )
        .group_by(InterviewTrainee.pool_member_id, InterviewTrainee.phase)
    )
    for member_id, phase, count in rows:
        counts[member_id][phase] = count
    return counts


def needed(team: Team, phase: TrainingPhase) -> int:
    """How many interviews the team's training path asks of ``phase``."""
    if phase is TrainingPhase.SHADOW:
        return team.shadow_interviews
    if phase is TrainingPhase.REVERSE_SHADOW:
        return team.reverse_shadow_interviews
    return 0


def next_phase(phase: TrainingPhase) -> TrainingPhase:
    order = list(TrainingPhase)
    return order[min(order.index(phase) + 1, len(order) - 1)]


def advance_trainees(session: Session, team_ids: Sequence[int] | None, now: datetime) -> int:
    """Move each trainee whose held interviews complete their phase to the next one (a
    phase of zero interviews is passed at once); returns how many moved. ``team_ids``
    ``None``: every team (the worker). A fixed number of queries, whatever the trainees."""
    query = (
        select(PoolMember, Team)
        .join(Team, Team.id == PoolMember.team_id)
        .where(PoolMember.phase != TrainingPhase.QUALIFIED)
    )
    if team_ids is not None:
        query = query.where(PoolMember.team_id.in_(list(team_ids)))
    trainees = session.execute(query).all()
    if not trainees:
        return 0
    counts = held_counts(session, [member.id for member, _ in trainees], now)
    moved = 0
    for member, team in trainees:
        held = counts[member.id].get(member.phase, 0)
        start = member.phase
        while member.phase.in_training and held >= needed(team, member.phase):
            member.phase, member.phase_since, held = next_phase(member.phase), now, 0
        if member.phase is not start:
            moved += 1
            if member.phase is TrainingPhase.QUALIFIED:
                member.qualified_at = now
            audit.record(
                session,
                team_id=member.team_id,
                actor=None,
                action="pool_member.advanced",
                subject=member,
                user_id=member.user_id,
                phase=member.phase.value,
            )
    session.flush()
    return moved


def add_member(
    session: Session, pool: InterviewerPool, user: User, phase: TrainingPhase, *, actor: User
) -> PoolMember:
    """Put ``user`` in ``pool`` at ``phase``; refuses someone already in it or inactive."""
    if user.team_id != pool.team_id or not user.active:
        raise ValueError(f"{user.name} cannot join this team's pools.")
    if any(member.user_id == user.id for member in pool.members):
        raise ValueError(f"{user.name} is already in this pool.")
    now = utcnow()
    member = PoolMember(
        team_id=pool.team_id,
        pool=pool,
        user_id=user.id,
        phase=phase,
        phase_since=now,
        added_at=now,
        qualified_at=now if phase is TrainingPhase.QUALIFIED else None,
    )
    session.add(member)
    session.flush()
    audit.record(
        session,
        team_id=pool.team_id,
        actor=actor,
        action="pool_member.added",
        subject=member,
        pool_id=pool.id,
        user_id=user.id,
        phase=phase.value,
    )
    return member


def set_phase(
    session: Session, member: PoolMember, phase: TrainingPhase, *, actor: User, early: bool = False
) -> None:
    """Move ``member`` to ``phase`` by a manager's hand; ``early`` records a sign-off (a
    trainee qualified before their training path was done)."""
    if phase is member.phase:
        return
    now = utcnow()
    previous = member.phase
    member.phase, member.phase_since = phase, now
    member.qualified_at = now if phase is TrainingPhase.QUALIFIED else None
    member.signed_off_by_id = actor.id if early and phase is TrainingPhase.QUALIFIED else None
    session.flush()
    audit.record(
        session,
        team_id=member.team_id,
        actor=actor,
        action="pool_member.signed_off" if early else "pool_member.phase_changed",
        subject=member,
        user_id=member.user_id,
        previous=previous.value,
        phase=phase.value,
    )


def remove_member(session: Session, member: PoolMember, *, actor: User) -> None:
    """Take ``member`` out of their pool; their trainee seats stay on record."""
    audit.record(
        session,
        team_id=member.team_id,
        actor=actor,
        action="pool_member.removed",
        subject=member,
        pool_id=member.pool_id,
        user_id=member.user_id,
    )
    session.delete(member)
    session.flush()


def create_pool(
    session: Session, stage_type: StageType, *, actor: User, plan_stage: PlanStage | None = None
) -> InterviewerPool:
    """Give ``stage_type`` (or one ``plan_stage`` of it) a pool; from then on only its
    qualified members fill those seats. The existing pool when there is one."""
    query = select(InterviewerPool).where(
        InterviewerPool.team_id == stage_type.team_id,
        InterviewerPool.stage_type_id == stage_type.id,
    )
    if plan_stage is None:
        query = query.where(InterviewerPool.plan_stage_id.is_(None))
    else:
        query = query.where(InterviewerPool.plan_stage_id == plan_stage.id)
    pool = session.scalar(query)
    if pool is not None:
        return pool
    pool = InterviewerPool(
        team_id=stage_type.team_id,
        stage_type_id=stage_type.id,
        plan_stage_id=plan_stage.id if plan_stage else None,
    )
    session.add(pool)
    session.flush()
    audit.record(
        session,
        team_id=pool.team_id,
        actor=actor,
        action="pool.created",
        subject=pool,
        stage_type_id=stage_type.id,
        plan_stage_id=pool.plan_stage_id,
    )
    return pool


def delete_pool(session: Session, pool: InterviewerPool, *, actor: User) -> None:
    """Remove ``pool`` and its members: its seats are open to every interviewer again."""
    audit.record(
        session,
        team_id=pool.team_id,
        actor=actor,
        action="pool.deleted",
        subject=pool,
        stage_type_id=pool.stage_type_id,
        plan_stage_id=pool.plan_stage_id,
        members=sorted(member.user_id for member in pool.members),
    )
    session.delete(pool)
    session.flush()
