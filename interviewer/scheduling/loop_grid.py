"""The grid a loop search works on: 30-minute starts over the next two weeks, read once.

For each stage of the loop: the starts the candidate can take (the plan order, their
proposed windows, their other interviews with a break, their waking hours) and, for each
interviewer of the stage's pool, the starts they can take as things stand (availability,
other interviews with the team's break, daily and weekly limits). The searches
(``autoloop``'s greedy one, ``loop_solver``) add what the loop itself changes.
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
from interviewer.scheduling.slots import HORIZON, STEP

#: The shortest pause for the candidate between two interviews of theirs.
CANDIDATE_BREAK = timedelta(minutes=15)
#: Interviews keep inside these hours of the candidate's day, when their zone is known.
CANDIDATE_HOURS = (time(8, 0), time(20, 0))
STEP_MINUTES = int(STEP.total_seconds() // 60)


def first_step(at: datetime) -> datetime:
    """The first grid boundary (on the hour or half hour, UTC) at or after ``at``."""
    base = at.replace(minute=0, second=0, microsecond=0)
    while base < at:
        base += STEP
    return base


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
    def times(self) -> tuple:
        """When each stage starts: options alike in this differ only in their panels."""
        return tuple((item.plan_stage.id, item.starts_at) for item in self.items)

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

    origin = first_step(max(now, earliest) if earliest else now)
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

    free: dict[int, dict[int, set[int]]] = {stage.id: {} for stage in stages}
    for user in users.values():
        if not availability[user.id].stated:
            for stage in stages:
                free[stage.id][user.id] = set()
            continue
        hours = _minutes(origin, availability[user.id].intervals(origin, end))
        busy = _minutes(origin, [(s, e) for s, e, _id in bookings[user.id]])
        blocked = _over_limit(user, steps, week_of[user.id], day_of[user.id], week_load, day_load)
        by_length: dict[int, set[int]] = {}
        for stage in stages:
            if user.id not in {member.id for member in pools[stage.id]}:
                continue
            length = stage.duration_minutes
            if length not in by_length:
                by_length[length] = _free_steps(hours, busy, length, min_break, steps) - blocked
            free[stage.id][user.id] = by_length[length].intersection(starts[stage.id])

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


def _minutes(origin: datetime, intervals) -> list[tuple[int, int]]:
    """``intervals`` as minutes from ``origin``."""
    return [
        (int((lo - origin).total_seconds() // 60), int((hi - origin).total_seconds() // 60))
        for lo, hi in intervals
    ]


def _free_steps(hours, busy, length: int, gap: int, steps: int) -> set[int]:
    """The steps at which ``length`` minutes fit inside ``hours`` and at least ``gap``
    minutes away from every ``busy`` interval (all in minutes from the origin)."""
    ok: set[int] = set()
    for low, high in hours:
        first = max(0, -(-low // STEP_MINUTES))
        last = min(steps - 1, (high - length) // STEP_MINUTES)
        ok.update(range(first, last + 1))
    for low, high in busy:
        # Clashes when start < high + gap and start + length > low - gap.
        first = max(0, (low - gap - length) // STEP_MINUTES + 1)
        last = min(steps - 1, -(-(high + gap) // STEP_MINUTES) - 1)
        ok.difference_update(range(first, last + 1))
    return ok


def _over_limit(user, steps, weeks, days, week_load, day_load) -> set[int]:
    """The steps in a week or day that already holds as many interviews as ``user`` takes."""
    weekly, daily = user.weekly_interview_limit, user.daily_interview_limit
    if weekly is None and daily is None:
        return set()
    full_weeks = {w for w, n in week_load[user.id].items() if weekly is not None and n >= weekly}
    full_days = {d for d, n in day_load[user.id].items() if daily is not None and n >= daily}
    return {k for k in range(steps) if weeks[k] in full_weeks or days[k] in full_days}


def week_load_of(problem: LoopProblem, user: User, k: int, chosen) -> int:
    week = problem.week_of[user.id][k]
    in_loop = sum(
        1
        for _s, other_k, panel in chosen
        if user in panel and problem.week_of[user.id][other_k] == week
    )
    return problem.week_load[user.id][week] + in_loop


def make_option(problem: LoopProblem, chosen, found_by: str) -> LoopOption:
    """The option of ``chosen`` (stage, step, panel) items with its days, finish and load."""
    items = [LoopItem(stage, problem.at(k), panel) for stage, k, panel in chosen]
    loads = [
        {user.id: week_load_of(problem, user, k, chosen) for user in panel}
        for _stage, k, panel in chosen
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


def step_of(problem: LoopProblem, at: datetime) -> int:
    return int((at - problem.origin) / STEP)
