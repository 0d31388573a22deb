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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage
from interviewer.scheduling.availability import load_availability, merge, week_start, zone
from interviewer.scheduling.conflicts import candidate_interviews, panel_bookings
from interviewer.scheduling.loops import LoopItem
from interviewer.scheduling.models import CandidateWindow
from interviewer.scheduling.pools import qualified_interviewers
from interviewer.scheduling.slots import HORIZON, STEP, _first_step

#: The shortest pause for the candidate between two interviews of theirs.
CANDIDATE_BREAK = timedelta(minutes=15)
#: Interviews keep inside these hours of the candidate's day, when their zone is known.
CANDIDATE_HOURS = (time(8, 0), time(20, 0))
STEP_MINUTES = int(STEP.total_seconds() // 60)


@dataclass
class LoopOption:
    """One complete loop: every stage with its time and panel, in plan order."""

    items: list[LoopItem]
    #: How many different days (in the candidate's zone) the candidate has to come.
    days: int = 0
    #: When the last stage ends.
    finishes_at: datetime | None = None
    #: Interviews of the busiest panel member in the week of their interview, this loop included.
    busiest_load: int = 0
    #: Which search found it: "solver" or "greedy".
    found_by: str = "greedy"
    notes: list[str] = field(default_factory=list)
    #: Each panel member's interviews in the week of their interview, loop included, by item.
    loads: list[dict[int, int]] = field(default_factory=list)

    @property
    def rank(self) -> tuple:
        return (self.days, self.finishes_at, self.busiest_load)

    @property
    def key(self) -> tuple:
        """What makes two options the same loop: each stage's start and panel."""
        return tuple(
            (item.plan_stage.id, item.starts_at, tuple(u.id for u in item.panel))
            for item in self.items
        )


@dataclass
class LoopProblem:
    """The grid the searches work on; step ``k`` starts at ``origin + k * STEP``."""

    stages: list[PlanStage]
    origin: datetime
    steps: int
    candidate_zone: str
    #: Per stage id: the interviewers who may sit on its panel, in pool order.
    pools: dict[int, list[User]]
    #: Per stage id: the steps the candidate can start it at, ascending.
    starts: dict[int, list[int]]
    #: Per stage id and user id: the steps that user can start it at (their own bookings
    #: and limits as they stand, before this loop).
    free: dict[int, dict[int, set[int]]]
    #: Per user id and step: the key of the week and of the day (user's zone) it lies in.
    week_of: dict[int, list[datetime]]
    day_of: dict[int, list[object]]
    #: Per step: the candidate's date it lies in.
    candidate_day: list[object]
    #: Interviews each user already has, per week and per day key.
    week_load: dict[int, dict[datetime, int]]
    day_load: dict[int, dict[object, int]]
    min_break: int
    users: dict[int, User]
    blocked: str | None = None

    def at(self, step: int) -> datetime:
        return self.origin + step * STEP

    def duration(self, stage: PlanStage) -> int:
        return stage.duration_minutes

    def eligible(self, stage: PlanStage, step: int) -> list[User]:
        free = self.free[stage.id]
        return [user for user in self.pools[stage.id] if step in free[user.id]]


@dataclass
class LoopProposal:
    """The options for a loop, best first, and why there are none when there are none."""

    options: list[LoopOption]
    reason: str | None = None
    #: The solver's statistics (objective, bound, status) when it ran.
    stats: dict = field(default_factory=dict)


def _candidate_zone(application: Application, tz: str) -> tuple[str, bool]:
    """The candidate's zone and whether it is theirs (rather than the viewer's)."""
    known = application.candidate.timezone or application.portal_timezone
    return (known, True) if known else (tz, False)


def _bounds(application, stages, job_stages, booked):
    """The earliest start and latest end the plan order allows the loop, or a refusal."""
    chosen = {stage.id for stage in stages}
    own = [b for b in booked if b.application_id == application.id]
    done_by = {b.plan_stage_id for b in own}
    first, last = stages[0], stages[-1]
    current = application.current_stage
    earliest = latest = None
    for other in job_stages:
        if other.id in chosen:
            continue
        ends = [b.ends_at for b in own if b.plan_stage_id == other.id]
        begins = [b.starts_at for b in own if b.plan_stage_id == other.id]
        if other.position < last.position:
            if ends:
                if other.position < first.position:
                    earliest = max(earliest or ends[0], *ends)
            elif current is None or other.position >= current.position:
                return (
                    None,
                    None,
                    (
                        f"{other.name} comes before {last.name} in the plan and is not scheduled: "
                        f"tick it too, or schedule it first."
                    ),
                )
        if other.position > first.position and begins and other.id in done_by:
            if other.position > last.position:
                latest = min(latest or begins[0], *begins)
            elif other.position < last.position:
                return (
                    None,
                    None,
                    (
                        f"{other.name} is already scheduled between the ticked stages; "
                        "schedule the stages around it one by one."
                    ),
                )
    return earliest, latest, None


def load_problem(
    session: Session,
    application: Application,
    stages: Sequence[PlanStage],
    now: datetime,
    *,
    tz: str = "UTC",
) -> LoopProblem:
    """The grid for a loop of ``stages`` of ``application`` from ``now`` (fixed queries)."""
    stages = sorted(stages, key=lambda stage: stage.position)
    cand_zone, zone_known = _candidate_zone(application, tz)
    empty = LoopProblem(
        stages, now, 0, cand_zone, {}, {}, {}, {}, {}, [], {}, {}, 0, {}, blocked=None
    )
    if application.status.is_closed:
        empty.blocked = f"{application.candidate.name}'s application is closed."
        return empty
    booked = candidate_interviews(session, application.candidate_id)
    taken = {b.plan_stage_id for b in booked if b.application_id == application.id}
    if any(stage.id in taken for stage in stages):
        empty.blocked = "Some of the ticked stages are already scheduled; untick them."
        return empty
    job_stages = session.scalars(
        select(PlanStage).where(PlanStage.job_id == application.job_id).order_by(PlanStage.position)
    ).all()
    earliest, latest, refusal = _bounds(application, stages, job_stages, booked)
    if refusal:
        empty.blocked = refusal
        return empty

    origin = _first_step(max(now, earliest) if earliest else now)
    end = now + HORIZON
    if latest is not None:
        end = min(end, latest)
    steps = max(0, int((end - origin) / STEP))
    grid = [origin + k * STEP for k in range(steps)]

    windows = merge(
        (w.starts_at, w.ends_at)
        for w in session.scalars(
            select(CandidateWindow).where(
                CandidateWindow.application_id == application.id,
                CandidateWindow.ends_at > origin,
            )
        )
    )
    pools: dict[int, list[User]] = {}
    for stage in stages:
        pools[stage.id] = list(qualified_interviewers(session, stage))
    users = {user.id: user for pool in pools.values() for user in pool}
    availability = load_availability(session, users.values(), origin, end)
    bookings = panel_bookings(
        session, list(users), origin - timedelta(days=8), end + timedelta(days=8)
    )

    team = application.team
    min_break = team.min_break_minutes or 0
    cand_local = zone(cand_zone)
    candidate_day = [at.astimezone(cand_local).date() for at in grid]
    cand_busy = [(b.starts_at - CANDIDATE_BREAK, b.ends_at + CANDIDATE_BREAK) for b in booked]

    starts: dict[int, list[int]] = {}
    for stage in stages:
        length = timedelta(minutes=stage.duration_minutes)
        fits = []
        for k, at in enumerate(grid):
            finish = at + length
            if finish > end:
                break
            if windows and not any(lo <= at and finish <= hi for lo, hi in windows):
                continue
            if any(lo < finish and at < hi for lo, hi in cand_busy):
                continue
            if zone_known:
                local_start, local_end = at.astimezone(cand_local), finish.astimezone(cand_local)
                if (
                    local_start.time() < CANDIDATE_HOURS[0]
                    or local_end.date() != local_start.date()
                    or local_end.time() > CANDIDATE_HOURS[1]
                ):
                    continue
            fits.append(k)
        starts[stage.id] = fits

    zones: dict[str, tuple[list, list]] = {}
    week_of, day_of, week_load, day_load = {}, {}, {}, {}
    for user in users.values():
        if user.timezone not in zones:
            local = zone(user.timezone)
            zones[user.timezone] = (
                [week_start(at, user.timezone) for at in grid],
                [at.astimezone(local).date() for at in grid],
            )
        week_of[user.id], day_of[user.id] = zones[user.timezone]
        local = zone(user.timezone)
        weeks: dict = defaultdict(int)
        days: dict = defaultdict(int)
        for start, _end, _id in bookings[user.id]:
            weeks[week_start(start, user.timezone)] += 1
            days[start.astimezone(local).date()] += 1
        week_load[user.id], day_load[user.id] = weeks, days

    gap = timedelta(minutes=min_break)
    free: dict[int, dict[int, set[int]]] = {}
    for stage in stages:
        length = timedelta(minutes=stage.duration_minutes)
        per_user: dict[int, set[int]] = {}
        for user in pools[stage.id]:
            if not availability[user.id].stated:
                per_user[user.id] = set()
                continue
            hours = availability[user.id].intervals(origin, end)
            busy = [(s - gap, e + gap) for s, e, _id in bookings[user.id]]
            weekly, daily = user.weekly_interview_limit, user.daily_interview_limit
            weeks, days = week_of[user.id], day_of[user.id]
            ok = set()
            for k in starts[stage.id]:
                at = grid[k]
                finish = at + length
                if not any(lo <= at and finish <= hi for lo, hi in hours):
                    continue
                if any(lo < finish and at < hi for lo, hi in busy):
                    continue
                if weekly is not None and week_load[user.id][weeks[k]] >= weekly:
                    continue
                if daily is not None and day_load[user.id][days[k]] >= daily:
                    continue
                ok.add(k)
            per_user[user.id] = ok
        free[stage.id] = per_user

    return LoopProblem(
        stages=stages,
        origin=origin,
        steps=steps,
        candidate_zone=cand_zone,
        pools=pools,
        starts=starts,
        free=free,
        week_of=week_of,
        day_of=day_of,
        candidate_day=candidate_day,
        week_load=week_load,
        day_load=day_load,
        min_break=min_break,
        users=users,
    )


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


def _load(problem: LoopProblem, user: User, k: int, chosen) -> int:
    week = problem.week_of[user.id][k]
    in_loop = sum(
        1
        for _s, other_k, panel in chosen
        if user in panel and problem.week_of[user.id][other_k] == week
    )
    return problem.week_load[user.id][week] + in_loop


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
                (_load(problem, user, k, chosen), user)
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


def make_option(problem: LoopProblem, chosen, found_by: str) -> LoopOption:
    """The option of ``chosen`` (stage, step, panel) items with its days, finish and load."""
    items = [LoopItem(stage, problem.at(k), panel) for stage, k, panel in chosen]
    loads = [
        {user.id: _load(problem, user, k, chosen) for user in panel} for _s, k, panel in chosen
    ]
    last_stage, last_k, _panel = chosen[-1]
    return LoopOption(
        items=items,
        days=len({problem.candidate_day[k] for _s, k, _p in chosen}),
        finishes_at=problem.at(last_k) + timedelta(minutes=last_stage.duration_minutes),
        busiest_load=max((n for load in loads for n in load.values()), default=0),
        found_by=found_by,
        loads=loads,
    )


def greedy_options(problem: LoopProblem, limit: int) -> list[LoopOption]:
    """Up to ``limit`` greedy loops, each beginning on a later candidate day than the last."""
    options: list[LoopOption] = []
    not_before = 0
    while len(options) < limit and not_before < problem.steps:
        option = greedy_loop(problem, not_before)
        if option is None:
            break
        options.append(option)
        first_day = problem.candidate_day[_step(problem, option.items[0].starts_at)]
        not_before = next(
            (k for k in range(problem.steps) if problem.candidate_day[k] > first_day),
            problem.steps,
        )
    return options


def _step(problem: LoopProblem, at: datetime) -> int:
    return int((at - problem.origin) / STEP)


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
        from interviewer.scheduling import loop_solver

        found, stats = loop_solver.solve(
            problem, limit, seconds=seconds, hint=options[0] if options else None
        )
        if found:
            seen = {option.key for option in found}
            options = found + [option for option in options if option.key not in seen]
    options.sort(key=lambda option: option.rank)
    options = options[:limit]
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
