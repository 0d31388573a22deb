"""What the interviewer pools page reads, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import Team, User
from interviewer.plans.models import Job, PlanStage, StageType
from interviewer.scheduling import pools
from interviewer.scheduling.pool_models import InterviewerPool, PoolMember, TrainingPhase


@dataclass(frozen=True)
class MemberRow:
    """A pool member and how far along the training path they are."""

    member: PoolMember
    held: int
    needed: int

    @property
    def progress(self) -> str:
        """``1 of 2 shadow interviews held``, or how the member qualified."""
        phase = self.member.phase
        if phase is TrainingPhase.QUALIFIED:
            if self.member.signed_off_by is not None:
                return f"Signed off early by {self.member.signed_off_by.name}"
            return "Qualified"
        kind = "shadow" if phase is TrainingPhase.SHADOW else "reverse-shadow"
        plural = "s" if self.needed != 1 else ""
        return f"{self.held} of {self.needed} {kind} interview{plural} held"


@dataclass
class PoolView:
    pool: InterviewerPool
    members: list[MemberRow]
    #: The team's active users not in the pool yet, by name.
    candidates: list[User]


@dataclass
class StageTypeView:
    stage_type: StageType
    pool: PoolView | None = None
    #: Plan stages of this type that have their own pool.
    overrides: list[PoolView] = field(default_factory=list)
    #: Plan stages of this type without their own pool yet.
    stages: list[PlanStage] = field(default_factory=list)


def pools_page(session: Session, team: Team, now: datetime) -> list[StageTypeView]:
    """Every stage type of ``team`` with its pool, the plan stages' own pools and the
    members' progress (six queries, whatever the pools hold)."""
    types = session.scalars(
        select(StageType).where(StageType.team_id == team.id).order_by(StageType.name)
    ).all()
    all_pools = session.scalars(
        select(InterviewerPool)
        .where(InterviewerPool.team_id == team.id)
        .options(
            selectinload(InterviewerPool.members).options(
                selectinload(PoolMember.user), selectinload(PoolMember.signed_off_by)
            ),
            selectinload(InterviewerPool.plan_stage).selectinload(PlanStage.job),
        )
        .order_by(InterviewerPool.id)
    ).all()
    users = session.scalars(
        select(User).where(User.team_id == team.id, User.active.is_(True)).order_by(User.name)
    ).all()
    stages = session.scalars(
        select(PlanStage)
        .join(Job, Job.id == PlanStage.job_id)
        .where(PlanStage.team_id == team.id)
        .options(selectinload(PlanStage.job))
        .order_by(Job.title, PlanStage.position)
    ).all()
    member_ids = [m.id for pool in all_pools for m in pool.members]
    counts = pools.held_counts(session, member_ids, now)
    views = {stage_type.id: StageTypeView(stage_type) for stage_type in types}
    owned = set()
    for pool in all_pools:
        in_pool = {m.user_id for m in pool.members}
        rows = [
            MemberRow(m, counts[m.id].get(m.phase, 0), pools.needed(team, m.phase))
            for m in sorted(pool.members, key=lambda m: (m.phase.rank, m.user.name))
        ]
        pool_view = PoolView(pool, rows, [u for u in users if u.id not in in_pool])
        view = views[pool.stage_type_id]
        if pool.plan_stage_id is None:
            view.pool = pool_view
        else:
            view.overrides.append(pool_view)
            owned.add(pool.plan_stage_id)
    for stage in stages:
        if stage.id not in owned and stage.stage_type_id in views:
            views[stage.stage_type_id].stages.append(stage)
    return list(views.values())
