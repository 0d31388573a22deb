"""Auto-scheduling a whole loop: complete proposals for an application's remaining stages.

Everything the search needs is read once (``load_problem``, a fixed number of queries) into
a grid of 30-minute starts over the next two weeks: for each stage, the starts the candidate
can take and, for each interviewer of its pool, the starts they can take given their
availability, their other interviews (with the team's break) and their daily and weekly
limits. Two searches share that grid: a greedy one (stage by stage in plan order, the
earliest start with the least-loaded panel), fast and always tried, and a CP-SAT model
(``loop_solver``) that finds the best loops, used when it answers in time. Options are
ranked by the days the candidate has to come, then the finish, then the busiest
interviewer's weekly load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage
from interviewer.scheduling import loop_solver
from interviewer.scheduling.conflicts import candidate_interviews
from interviewer.scheduling.loop_grid import (
    CANDIDATE_BREAK,
    CANDIDATE_HOURS,
    STEP_MINUTES,
    LoopOption,
    LoopProblem,
    load_problem,
    make_option,
    step_of,
    week_load_of,
)
from interviewer.scheduling.loops import LoopItem

__all__ = [
    "CANDIDATE_BREAK",
    "CANDIDATE_HOURS",
    "LoopOption",
    "LoopProposal",
    "greedy_loop",
    "load_problem",
    "plan_loops",
    "propose_loops",
]


@dataclass
class LoopProposal:
    """The options for a loop, best first, and why there are none when there are none."""

    options: list[LoopOption]
    reason: str | None = None
    #: The solver's statistics (objective, bound, status) when it ran.
    stats: dict = field(default_factory=dict)


def _fits_loop(problem: LoopProblem, user: User, stage: PlanStage, k: int, chosen) -> bool:
    """Whether ``user`` may also take ``stage`` at step ``k`` beside the loop's ``chosen``
    (stage, step, panel) items: their break and their limits, loop included."""
    start = k * STEP_MINUTES
    end = start + stage.duration_minutes
    weekly, daily = user.weekly_interview_limit, user.daily_interview_limit
    week, day = problem.week_of[user.id][k], problem.day_of[user.id][k]
    same_week = same_day = 0
    for other, other_k, panel in chosen:
        if user not in panel:
            continue
        other_start = other_k * STEP_MINUTES
        other_end = other_start + other.duration_minutes
        if other_start < end + problem.min_break and start < other_end + problem.min_break:
            return False
        same_week += problem.week_of[user.id][other_k] == week
        same_day += problem.day_of[user.id][other_k] == day
    if weekly is not None and problem.week_load[user.id][week] + same_week >= weekly:
        return False
    return not (daily is not None and problem.day_load[user.id][day] + same_day >= daily)


def greedy_loop(problem: LoopProblem, not_before: int = 0) -> LoopOption | None:
    """Stage by stage in plan order: the earliest start with a panel, least loaded first."""
    chosen: list[tuple[PlanStage, int, tuple[User, ...]]] = []
    ready = not_before * STEP_MINUTES
    for stage in problem.stages:
        placed = False
        for k in problem.starts[stage.id]:
            if k * STEP_MINUTES < ready:
                continue
            eligible = [
                (week_load_of(problem, user, k, chosen), user)
                for user in problem.eligible(stage, k)
                if _fits_loop(problem, user, stage, k, chosen)
            ]
            if len(eligible) < stage.panel_size:
                continue
            eligible.sort(key=lambda pair: pair[0])
            chosen.append((stage, k, tuple(user for _load, user in eligible[: stage.panel_size])))
            ready = k * STEP_MINUTES + stage.duration_minutes + CANDIDATE_BREAK.seconds // 60
            placed = True
            break
        if not placed:
            return None
    return make_option(problem, chosen, "greedy")


def greedy_options(problem: LoopProblem, limit: int) -> list[LoopOption]:
    """Up to ``limit`` greedy loops, each beginning on a later candidate day than the last."""
    options: list[LoopOption] = []
    not_before = 0
    while len(options) < limit and not_before < problem.steps:
        option = greedy_loop(problem, not_before)
        if option is None:
            break
        options.append(option)
        first_day = problem.candidate_day[step_of(problem, option.items[0].starts_at)]
        not_before = next(
            (k for k in range(problem.steps) if problem.candidate_day[k] > first_day),
            problem.steps,
        )
    return options


def why_nothing(problem: LoopProblem) -> str:
    """Why no loop fits in the horizon, and what would help."""
    if problem.blocked:
        return problem.blocked
    for stage in problem.stages:
        if not problem.starts[stage.id]:
            return (
                f"The candidate has no free time for {stage.name} in the next two weeks: "
                "ask them to propose more times on their portal."
            )
        if not any(
            len(problem.eligible(stage, k)) >= stage.panel_size for k in problem.starts[stage.id]
        ):
            return (
                f"Too few interviewers of {stage.name}'s pool are free when the candidate is: "
                "add interviewers to the pool, or ask them to add availability."
            )
    return (
        "The stages do not fit one after another in the next two weeks: ask the candidate "
        "for more times, or add interviewers to the pools."
    )


def plan_loops(
    session: Session,
    application: Application,
    stages: Sequence[PlanStage],
    now: datetime,
    *,
    tz: str = "UTC",
    limit: int = 3,
    solver: bool = True,
    seconds: float | None = None,
) -> LoopProposal:
    """The best ``limit`` loops for ``stages`` and, when none fits, the reason."""
    if not stages:
        return LoopProposal([], "Tick at least one stage to schedule.")
    problem = load_problem(session, application, stages, now, tz=tz)
    if problem.blocked:
        return LoopProposal([], problem.blocked)
    options = greedy_options(problem, limit)
    stats: dict = {}
    if solver and all(problem.starts[stage.id] for stage in problem.stages):
        found, stats = loop_solver.solve(
            problem, limit, seconds=seconds, hint=options[0] if options else None
        )
        if found:
            seen = {option.key for option in found}
            options = found + [option for option in options if option.key not in seen]
    options.sort(key=lambda option: option.rank)
    # The same times with another panel is no real choice: the better panel stays.
    distinct = {}
    for option in options:
        distinct.setdefault(option.times, option)
    options = list(distinct.values())[:limit]
    return LoopProposal(options, None if options else why_nothing(problem), stats)


def propose_loops(
    session: Session,
    application: Application,
    stages: Sequence[PlanStage],
    now: datetime,
    *,
    tz: str = "UTC",
    limit: int = 3,
) -> list[LoopOption]:
    """Up to ``limit`` complete loops for ``stages``, best first.

    Each keeps the plan order with ``CANDIDATE_BREAK`` between stages, inside the
    candidate's proposed windows (if any) and hours, and gives each stage a panel from its
    pool that is available, free (with the team's break) and under its limits.
    """
    return plan_loops(session, application, stages, now, tz=tz, limit=limit).options


def candidate_zone(application: Application) -> str | None:
    """The candidate's own zone when known: theirs, else the one they picked on the portal."""
    return application.candidate.timezone or application.portal_timezone or None


def remaining_stages(session: Session, application: Application) -> list[PlanStage]:
    """The plan stages still to schedule: from the current stage on, none booked (one query)."""
    booked = {
        b.plan_stage_id
        for b in candidate_interviews(session, application.candidate_id)
        if b.application_id == application.id
    }
    current = application.current_stage
    return [
        stage
        for stage in application.job.stages
        if stage.id not in booked and (current is None or stage.position >= current.position)
    ]


def option_value(option: LoopOption) -> str:
    """An option as one form value: ``3|2031-03-17T08:00:00+00:00|4,5;...``."""
    return ";".join(
        "|".join(
            (
                str(item.plan_stage.id),
                item.starts_at.isoformat(),
                ",".join(str(user.id) for user in item.panel),
            )
        )
        for item in option.items
    )


def read_option(session: Session, application: Application, value: str) -> list[LoopItem]:
    """The loop items of an ``option_value`` for ``application`` (its job's stages, its
    team's active people; one query); ``ValueError`` when it cannot be read."""
    parts = []
    for chunk in value.split(";"):
        stage_text, start_text, ids_text = chunk.split("|")
        starts_at = datetime.fromisoformat(start_text)
        if starts_at.tzinfo is None:
            raise ValueError("a start without a time zone")
        parts.append((int(stage_text), starts_at, [int(i) for i in ids_text.split(",") if i]))
    stages = {stage.id: stage for stage in application.job.stages}
    wanted = {i for _stage, _start, ids in parts for i in ids}
    people = {
        user.id: user
        for user in session.scalars(
            select(User).where(
                User.team_id == application.team_id,
                User.active.is_(True),
                User.id.in_(sorted(wanted)),
            )
        )
    }
    if any(stage_id not in stages for stage_id, _s, _i in parts) or wanted - set(people):
        raise ValueError("a stage or an interviewer that is not this team's")
    return [
        LoopItem(stages[stage_id], starts_at, tuple(people[i] for i in ids))
        for stage_id, starts_at, ids in parts
    ]
