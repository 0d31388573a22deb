"""The demo's interviewer pools: system design and behavioural interviews have pools of the
people who hold them, and Marcus trains for behavioural interviews (one shadow held, one
ahead when he is free for it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from interviewer.plans.models import PlanStage, StageType
from interviewer.scheduling import pools, training
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scheduling.pool_models import InterviewTrainee, TrainingPhase
from interviewer.seed.setup import Demo

#: Stage types with a pool; each holds those who sat on the type's panels.
POOLED = ("system_design", "behavioral")
#: The trainee: user key, stage type, how long ago they joined the pool.
TRAINEE = ("marcus", "behavioral", timedelta(days=21))


def build(demo: Demo) -> None:
    """Add the pools, their qualified members and the trainee with one shadow held."""
    session, team, now = demo.session, demo.team, demo.now
    admin = demo.users["amara"]
    types = {
        t.key: t
        for t in session.scalars(
            select(StageType).where(StageType.team_id == team.id, StageType.key.in_(POOLED))
        )
    }
    trainee_key, trainee_type, joined = TRAINEE
    trainee = demo.users[trainee_key]
    for key, stage_type in types.items():
        pool = pools.create_pool(session, stage_type, actor=admin)
        panelists = session.scalars(
            select(PanelMember.user_id)
            .join(Interview, Interview.id == PanelMember.interview_id)
            .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
            .where(PlanStage.stage_type_id == stage_type.id, Interview.team_id == team.id)
            .distinct()
        ).all()
        for user in sorted(
            (u for u in demo.users.values() if u.id in set(panelists)), key=lambda u: u.name
        ):
            if key == trainee_type and user.id == trainee.id:
                continue
            member = pools.add_member(session, pool, user, TrainingPhase.QUALIFIED, actor=admin)
            member.added_at = member.phase_since = member.qualified_at = now - timedelta(days=90)
        if key == trainee_type:
            _trainee(demo, pool, trainee, now - joined)
    session.flush()


def _trainee(demo: Demo, pool, user, joined) -> None:
    """``user`` joins ``pool`` as a shadow at ``joined``, sat in on its latest interview held
    since (where they were on no panel), and takes the seat of the next one if free then."""
    session, now = demo.session, demo.now
    member = pools.add_member(session, pool, user, TrainingPhase.SHADOW, actor=demo.users["daniel"])
    member.added_at = member.phase_since = joined
    interviews = session.scalars(
        select(Interview)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .where(
            PlanStage.stage_type_id == pool.stage_type_id,
            Interview.team_id == demo.team.id,
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.starts_at > joined,
        )
        .order_by(Interview.starts_at)
    ).all()
    own = session.execute(
        select(Interview.starts_at, Interview.ends_at)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .where(PanelMember.user_id == user.id, Interview.starts_at > joined)
    ).all()

    def free(interview: Interview) -> bool:
        return not any(s < interview.ends_at and interview.starts_at < e for s, e in own)

    held = [i for i in interviews if i.ends_at <= now and free(i)]
    if held:
        session.add(
            InterviewTrainee(
                team_id=demo.team.id,
                interview_id=held[-1].id,
                user_id=user.id,
                pool_member_id=member.id,
                phase=TrainingPhase.SHADOW,
                created_at=held[-1].starts_at - timedelta(days=3),
            )
        )
        session.flush()
    for upcoming in (i for i in interviews if i.starts_at > now):
        if training.add_trainee(session, upcoming, now):
            break
