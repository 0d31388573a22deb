"""The large bench data set: three years of one team's hiring, at the size every page must
stay fast on (``make bench``), and what the load bench adds to it (``build_load_extras``).

50,000 candidates with one application each over 40 jobs (plans of 4 or 5 stages), their
stage stays, about 200,000 interviews with panels, about 600,000 ratings on submitted
scorecards, decisions, and self-identification answers from part of the candidates. Rows
are written with bulk Core inserts in batches, their ids counted in Python, so PostgreSQL
takes minutes, not hours. The numbers are drawn from a seeded generator: every build is
the same, and it holds what the reports look for (lenient and harsh interviewers, a skill
whose ratings disagree, a stage where one group goes on less often).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from interviewer.auth.models import Role, Team, User
from interviewer.auth.passwords import hash_password
from interviewer.candidates.models import (
    Application,
    Candidate,
    SelfIdentification,
    StageVisit,
)
from interviewer.candidates.self_identification import PREFER_NOT_TO_SAY, QUESTIONS
from interviewer.catalog.models import Level, Skill
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import Job, PlanStage, plan_stage_focus_skill
from interviewer.plans.stages import get_stage_type
from interviewer.reports import funnel_rows, seats, summaries
from interviewer.scheduling.models import Availability, Interview, PanelMember
from interviewer.scorecards.models import Decision, Rating, Scorecard
from interviewer.seed import DEMO_PASSWORD

#: Rows per INSERT statement.
BATCH = 5000
CANDIDATES = 50_000
JOBS = 40
INTERVIEWERS = 60
YEARS = 3
#: Interviews per stay, on average (panels split long stages in two or three sessions).
INTERVIEWS_PER_STAY = 1.85
#: The questions the bench team asks, and the share of candidates who answer.
ASKED = "gender,ethnicity"
ANSWERED_SHARE = 0.6
#: Plans: stage type keys in order; jobs take them in turn.
PLANS = (
    ("screen", "live_coding", "system_design", "final"),
    ("screen", "live_coding", "system_design", "behavioral", "final"),
    ("screen", "take_home", "whiteboard", "behavioral", "final"),
    ("screen", "live_coding", "behavioral", "final"),
)
#: Chance of going on from a stage, by position (the last one leads to the offer).
PASS_RATE = (0.6, 0.55, 0.6, 0.7, 0.75)
REJECT_REASONS = ("Skills below the level's bar", "Experience does not match the role")
WITHDRAW_REASONS = ("Accepted another offer", "Process too long")


@dataclass
class Counts:
    """What the build wrote, table by table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


class Loader:
    """Buffers rows per table and writes them all, parents first, when one buffer is full;
    hands out ids above those already in each table."""

    ORDER = (
        Candidate.__table__,
        Application.__table__,
        StageVisit.__table__,
        SelfIdentification.__table__,
        Interview.__table__,
        PanelMember.__table__,
        Scorecard.__table__,
        Rating.__table__,
        Decision.__table__,
        OutboxEmail.__table__,
    )

    def __init__(self, session: Session) -> None:
        self.session = session
        self.buffers = {table.name: [] for table in self.ORDER}
        self.next_ids = {
            table.name: (session.scalar(select(func.max(table.c.id))) or 0) + 1
            for table in self.ORDER
            if "id" in table.c
        }
        self.counts = Counts()

    def new_id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def add(self, table: str, row: dict) -> None:
        self.buffers[table].append(row)

    def flush_if_full(self) -> None:
        if any(len(rows) >= BATCH for rows in self.buffers.values()):
            self.flush()

    def flush(self) -> None:
        for table in self.ORDER:
            rows = self.buffers[table.name]
            for start in range(0, len(rows), BATCH):
                self.session.execute(insert(table), rows[start : start + BATCH])
            self.counts.add(table.name, len(rows))
            rows.clear()

    def finish(self) -> None:
        """Write what is left and move PostgreSQL's sequences past the ids given out."""
        self.flush()
        if self.session.get_bind().dialect.name == "postgresql":
            for table in self.ORDER:
                if "id" in table.c:
                    self.session.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                        )
                    )


@dataclass
class Plan:
    job_id: int
    stages: list[tuple[int, int, list[int]]]  # (plan stage id, panel size, focus skill ids)


@dataclass
class World:
    """The team's fixed parts the candidates move through."""

    team_id: int
    plans: list[Plan]
    interviewers: list[int]
    leniency: dict[int, float]
    decider_id: int
    #: The skill whose ratings are mostly noise.
    noisy_skill: int


def build_large(
    session: Session, team: Team, now: datetime, candidates: int = CANDIDATES, seed: int = 12
) -> Counts:
    """Add the large data set (``candidates`` of them) to ``team``, which has the demo's
    catalogue and people."""
    rng = random.Random(seed)
    team.self_identification_questions = ASKED
    world = _world(session, team, rng)
    loader = Loader(session)
    start = now - timedelta(days=365 * YEARS)
    span = (now - start).total_seconds()
    for n in range(candidates):
        applied = start + timedelta(seconds=span * n / candidates + rng.uniform(0, 3600))
        _candidate(loader, world, rng, n, applied, now)
        loader.flush_if_full()
    loader.finish()
    # Written in bulk, past the scorecard services: the reports' running sums follow here,
    # planned with statistics of what was just written (without them PostgreSQL pairs the
    # ratings by nested loops, for hours).
    postgresql = session.get_bind().dialect.name == "postgresql"
    if postgresql:
        session.execute(text("ANALYZE"))
    summaries.refresh(session, team.id)
    session.flush()
    if postgresql:
        session.execute(text("ANALYZE"))
    return loader.counts


def _world(session: Session, team: Team, rng: random.Random) -> World:
    """The jobs, plans and interviewers, written the ordinary way (a few hundred rows)."""
    levels = session.scalars(select(Level).where(Level.team_id == team.id)).all()
    skills = session.scalars(select(Skill.id).where(Skill.team_id == team.id)).all()
    manager = session.scalar(
        select(User).where(User.team_id == team.id, User.role == Role.HIRING_MANAGER)
    )
    people = [
        User(
            team_id=team.id,
            email=f"bench-interviewer-{n}@example.org",
            name=f"Bench Interviewer {n}",
            password_hash="!",
            role=Role.INTERVIEWER,
            weekly_interview_limit=rng.choice((None, 3, 5, 8)),
        )
        for n in range(INTERVIEWERS)
    ]
    session.add_all(people)
    plans = []
    for n in range(JOBS):
        job = Job(
            team_id=team.id,
            level_id=levels[n % len(levels)].id,
            hiring_manager_id=manager.id,
            title=f"Bench Engineer {n + 1}",
            slug=f"bench-engineer-{n + 1}",
            status="open" if n % 4 == 0 else "closed",
            posted_on=date(2020, 1, 1),
            closes_on=date(2030, 1, 1),
        )
        session.add(job)
        for position, key in enumerate(PLANS[n % len(PLANS)], start=1):
            stage_type = get_stage_type(session, team.id, key)
            job.stages.append(
                PlanStage(
                    team_id=team.id,
                    stage_type=stage_type,
                    position=position,
                    name=stage_type.name,
                    panel_size=1 if key == "screen" else 2,
                )
            )
    session.flush()
    jobs = session.scalars(
        select(Job).where(Job.team_id == team.id, Job.slug.like("bench-engineer-%"))
    ).all()
    focus_rows = []
    for job in jobs:
        stages = []
        for stage in job.stages:
            focus = rng.sample(skills, 2)
            focus_rows += [{"plan_stage_id": stage.id, "skill_id": skill} for skill in focus]
            stages.append((stage.id, stage.panel_size, focus))
        plans.append(Plan(job.id, stages))
    session.execute(insert(plan_stage_focus_skill), focus_rows)
    interviewers = [person.id for person in people]
    leniency = {person: rng.gauss(0, 0.15) for person in interviewers}
    leniency[interviewers[0]], leniency[interviewers[1]] = 0.9, -0.9
    return World(team.id, plans, interviewers, leniency, manager.id, noisy_skill=skills[-1])


def _candidate(
    loader: Loader, world: World, rng: random.Random, n: int, applied: datetime, now: datetime
) -> None:
    """One candidate's application and everything that happened to it up to ``now``."""
    team_id = world.team_id
    candidate_id = loader.new_id("candidate")
    application_id = loader.new_id("application")
    plan = world.plans[n % len(world.plans)]
    candidate = {
        "id": candidate_id,
        "team_id": team_id,
        "name": f"Bench Candidate {n}",
        "email": f"bench-candidate-{n}@example.org",
        "phone": "",
        "links": "",
        "source": rng.choice(("Careers page", "Referral", "Agency", "Sourced")),
        "notes": "",
        "created_at": applied,
        "updated_at": applied,
    }
    loader.add("candidate", candidate)
    answers = _answers(loader, world, rng, application_id, applied)
    ability = rng.gauss(0, 0.6)
    # The bench's adverse impact: at the second stage one group goes on less often.
    handicap = 0.25 if answers.get("gender") == "Woman" else 0.0
    at, status, stage_id, closed_at, reason = applied, "active", None, None, None
    for position, (plan_stage_id, panel_size, focus) in enumerate(plan.stages, start=1):
        stage_id = plan_stage_id
        leaves = at + timedelta(days=rng.uniform(2, 14))
        visit = {
            "id": loader.new_id("stage_visit"),
            "team_id": team_id,
            "application_id": application_id,
            "job_id": plan.job_id,
            "plan_stage_id": plan_stage_id,
            "entered_at": at,
            "left_at": None,
            "left_by": None,
            "reason": None,
        }
        loader.add("stage_visit", visit)
        held = _interviews(loader, world, rng, application_id, plan_stage_id, panel_size, at)
        _scorecards(loader, world, rng, application_id, held, focus, ability, now)
        if leaves > now:
            break
        chance = PASS_RATE[position - 1] + ability * 0.15 - (handicap if position == 2 else 0)
        last = position == len(plan.stages)
        if rng.random() < chance:
            move = "offer" if last else "advance"
        else:
            move = "withdraw" if rng.random() < 0.15 else "reject"
        reason = None
        if move == "reject":
            reason = rng.choice(REJECT_REASONS)
        elif move == "withdraw":
            reason = rng.choice(WITHDRAW_REASONS)
        visit.update(left_at=leaves, left_by=move, reason=reason)
        outcome = {"advance": "advance", "offer": "offer", "reject": "reject"}.get(move)
        if outcome is not None:
            _decision(loader, world, application_id, outcome, leaves)
        at = leaves
        if move == "advance":
            continue
        status = {"offer": "offer", "reject": "rejected", "withdraw": "withdrawn"}[move]
        closed_at = None if move == "offer" else leaves
        if move == "offer" and leaves + timedelta(days=7) < now and rng.random() < 0.8:
            status, closed_at = "hired", leaves + timedelta(days=7)
            _decision(loader, world, application_id, "hire", closed_at)
        break
    # The candidates list sorts by last activity: their application's latest change.
    candidate["last_activity_at"] = closed_at or at
    loader.add(
        "application",
        {
            "id": application_id,
            "team_id": team_id,
            "candidate_id": candidate_id,
            "job_id": plan.job_id,
            "current_stage_id": stage_id,
            "status": status,
            "exit_reason": reason if status in ("rejected", "withdrawn") else None,
            "exit_note": "",
            "stage_entered_at": at,
            "closed_at": closed_at,
            "portal_generation": 1,
            "cover_note": "",
            "created_at": applied,
            "updated_at": closed_at or at,
        },
    )


def _answers(
    loader: Loader, world: World, rng: random.Random, application_id: int, applied: datetime
) -> dict[str, str]:
    """The self-identification answers of part of the candidates."""
    if rng.random() >= ANSWERED_SHARE:
        return {}
    answers = {}
    for key in ASKED.split(","):
        choices = QUESTIONS[key].answers
        weights = [8 if answer != PREFER_NOT_TO_SAY else 1 for answer in choices]
        weights[0] += 12
        weights[1] += 20
        if rng.random() < 0.95:
            answers[key] = rng.choices(choices, weights)[0]
    loader.add(
        "self_identification",
        {
            "id": loader.new_id("self_identification"),
            "team_id": world.team_id,
            "application_id": application_id,
            "gender": answers.get("gender"),
            "ethnicity": answers.get("ethnicity"),
            "disability": None,
            "veteran": None,
            "created_at": applied,
        },
    )
    return answers


def _interviews(
    loader: Loader,
    world: World,
    rng: random.Random,
    application_id: int,
    plan_stage_id: int,
    panel_size: int,
    entered: datetime,
) -> list[tuple[int, datetime, list[int]]]:
    """The stay's interviews with their panels; returns (id, end, panel) of those held."""
    count = int(INTERVIEWS_PER_STAY) + (rng.random() < INTERVIEWS_PER_STAY % 1)
    held = []
    for _ in range(count):
        interview_id = loader.new_id("interview")
        starts = (entered + timedelta(days=rng.uniform(0.5, 2))).replace(
            minute=0, second=0, microsecond=0
        )
        ends = starts + timedelta(minutes=60)
        cancelled = rng.random() < 0.02
        loader.add(
            "interview",
            {
                "id": interview_id,
                "team_id": world.team_id,
                "application_id": application_id,
                "plan_stage_id": plan_stage_id,
                "kit_version_id": None,
                "starts_at": starts,
                "ends_at": ends,
                "timezone": "UTC",
                "location": "",
                "video_url": "",
                "status": "cancelled" if cancelled else "scheduled",
                "cancel_reason": "Rescheduled" if cancelled else "",
                "uid": f"bench-{interview_id}@interviewer",
                "sequence": 0,
                "created_at": entered,
                "updated_at": entered,
            },
        )
        panel = rng.sample(world.interviewers, panel_size)
        for user_id in panel:
            loader.add(
                "panel_member",
                {"team_id": world.team_id, "interview_id": interview_id, "user_id": user_id},
            )
        if not cancelled:
            held.append((interview_id, ends, panel))
    return held


def _scorecards(
    loader: Loader,
    world: World,
    rng: random.Random,
    application_id: int,
    held: list[tuple[int, datetime, list[int]]],
    focus: list[int],
    ability: float,
    now: datetime,
) -> None:
    """A scorecard per panel member of each past interview (a few left as drafts), with a
    rating per focus skill."""
    for interview_id, ends, panel in held:
        if ends > now:
            continue
        for user_id in panel:
            scorecard_id = loader.new_id("scorecard")
            submitted_at = ends + timedelta(hours=rng.expovariate(1 / 20))
            submitted = submitted_at < now and rng.random() > 0.02
            lean = world.leniency[user_id]
            loader.add(
                "scorecard",
                {
                    "id": scorecard_id,
                    "team_id": world.team_id,
                    "interview_id": interview_id,
                    "interviewer_id": user_id,
                    "application_id": application_id,
                    "kit_version_id": None,
                    "state": "submitted" if submitted else "draft",
                    "version": 1,
                    "lock_version": 1,
                    "key_takeaways": "",
                    "recommendation": _score(2.5 + ability + lean + rng.gauss(0, 0.5)),
                    "submitted_at": submitted_at if submitted else None,
                    "amendment_reason": "",
                    "created_at": ends,
                    "updated_at": submitted_at if submitted else ends,
                },
            )
            for skill_id in focus:
                noise = 1.5 if skill_id == world.noisy_skill else 0.45
                value = 2.5 + ability + lean + rng.gauss(0, noise)
                loader.add(
                    "rating",
                    {
                        "id": loader.new_id("rating"),
                        "team_id": world.team_id,
                        "scorecard_id": scorecard_id,
                        "skill_id": skill_id,
                        "score": None if rng.random() < 0.03 else _score(value),
                        "evidence": "",
                    },
                )


def _score(value: float) -> int:
    return min(4, max(1, round(value)))


def _decision(
    loader: Loader, world: World, application_id: int, outcome: str, at: datetime
) -> None:
    loader.add(
        "decision",
        {
            "id": loader.new_id("decision"),
            "team_id": world.team_id,
            "application_id": application_id,
            "decided_by_id": world.decider_id,
            "outcome": outcome,
            "rationale": "Bench decision.",
            "created_at": at,
        },
    )


#: The open job whose board holds the big column of applications in process.
BIG_JOB_SLUG = "bench-big-board"
#: Applications in process on the big board, and emails waiting in the outbox (at 50,000).
BIG_BOARD = 2000
PENDING_EMAILS = 10_000
#: Names of the big board's candidates, so that a search by name finds some at every size
#: (the demo has a Svensson too).
FIRST_NAMES = ("Anna", "Ben", "Chloe", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jon")
LAST_NAMES = ("Svensson", "Okafor", "Novak", "Haddad", "Moreau", "Tanaka", "Silva", "Berg")


def has_large(session: Session, team: Team, candidates: int) -> bool:
    """Whether ``team`` already holds the large data set of ``candidates`` and its extras."""
    big = session.scalar(select(Job.id).where(Job.team_id == team.id, Job.slug == BIG_JOB_SLUG))
    return big is not None and has_base(session, team, candidates)


def has_base(session: Session, team: Team, candidates: int) -> bool:
    """Whether ``build_large`` has run on ``team`` with ``candidates``."""
    built = session.scalar(
        select(func.count())
        .select_from(Candidate)
        .where(Candidate.team_id == team.id, Candidate.email.like("bench-candidate-%"))
    )
    return built == candidates


def build_load_extras(
    session: Session, team: Team, now: datetime, candidates: int = CANDIDATES, seed: int = 16
) -> Counts:
    """What the load bench measures on top of ``build_large``: a big board of applications in
    process, an interviewer with thousands of interviews who can sign in, owed scorecards,
    upcoming bookings and weekly availability for the slot suggestions, and pending emails.

    Sizes scale with ``candidates`` (2,000 applications and 10,000 emails at 50,000).
    """
    rng = random.Random(seed)
    scale = candidates / CANDIDATES
    levels = session.scalars(select(Level).where(Level.team_id == team.id)).all()
    skills = session.scalars(select(Skill.id).where(Skill.team_id == team.id)).all()
    manager = session.scalar(
        select(User).where(User.team_id == team.id, User.role == Role.HIRING_MANAGER)
    )
    job = Job(
        team_id=team.id,
        level_id=levels[-1].id,
        hiring_manager_id=manager.id,
        title="Bench Big Board Engineer",
        slug=BIG_JOB_SLUG,
        status="open",
        description="A busy opening: the bench's big board.",
        posted_on=(now - timedelta(days=90)).date(),
        closes_on=(now + timedelta(days=365)).date(),
    )
    session.add(job)
    for position, key in enumerate(PLANS[1], start=1):
        stage_type = get_stage_type(session, team.id, key)
        job.stages.append(
            PlanStage(
                team_id=team.id,
                stage_type=stage_type,
                position=position,
                name=stage_type.name,
                panel_size=1 if key == "screen" else 2,
            )
        )
    session.flush()
    stages = [(stage.id, stage.panel_size, rng.sample(skills, 2)) for stage in job.stages]
    session.execute(
        insert(plan_stage_focus_skill),
        [{"plan_stage_id": s, "skill_id": k} for s, _, focus in stages for k in focus],
    )
    interviewers = session.scalars(
        select(User.id)
        .where(User.team_id == team.id, User.email.like("bench-interviewer-%"))
        .order_by(User.id)
    ).all()
    heavy = _heavy_interviewer(session, team)
    _availability(session, team, interviewers)
    loader = Loader(session)
    for n in range(max(50, round(BIG_BOARD * scale))):
        _big_board_application(loader, team.id, job.id, stages, interviewers, rng, n, now)
        loader.flush_if_full()
    for n in range(max(100, round(PENDING_EMAILS * scale))):
        loader.add(
            "outbox_email",
            {
                "team_id": team.id,
                "interview_id": None,
                "to_email": f"bench-candidate-{n}@example.org",
                "to_name": f"Bench Candidate {n}",
                "from_name": team.name,
                "subject": "Your interview is booked",
                "body": "Hello,\n\nyour interview is booked.\n",
                "created_at": now - timedelta(minutes=n),
                "next_attempt_at": now - timedelta(minutes=n),
                "status": "waiting",
            },
        )
        loader.flush_if_full()
    loader.finish()
    # The extras' interviews and stays were written in bulk, past the listeners that keep
    # panel seats and the funnel's rows.
    seats.refresh(session, team.id)
    funnel_rows.refresh(session, team.id)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))
    loader.counts.add("heavy interviewer's interviews", heavy)
    return loader.counts


def _heavy_interviewer(session: Session, team: Team) -> int:
    """Let the bench interviewer with the most interviews (and no weekly limit) sign in with
    the demo password; returns how many interviews they have."""
    email, count = session.execute(
        select(User.email, func.count(PanelMember.interview_id))
        .join(PanelMember, PanelMember.user_id == User.id)
        .where(
            User.team_id == team.id,
            User.email.like("bench-interviewer-%"),
            User.weekly_interview_limit.is_(None),
        )
        .group_by(User.email)
        .order_by(func.count(PanelMember.interview_id).desc(), User.email)
        .limit(1)
    ).one()
    user = session.scalar(select(User).where(User.team_id == team.id, User.email == email))
    user.password_hash = hash_password(DEMO_PASSWORD)
    user.timezone = "UTC"
    return count


def _availability(session: Session, team: Team, interviewers: list[int]) -> None:
    """Monday to Friday, 9:00 to 17:00, for every bench interviewer."""
    session.execute(
        insert(Availability),
        [
            {
                "team_id": team.id,
                "user_id": user_id,
                "weekday": day,
                "start_time": time(9),
                "end_time": time(17),
            }
            for user_id in interviewers
            for day in range(5)
        ],
    )


def _big_board_application(
    loader: Loader,
    team_id: int,
    job_id: int,
    stages: list[tuple[int, int, list[int]]],
    interviewers: list[int],
    rng: random.Random,
    n: int,
    now: datetime,
) -> None:
    """One application in process on the big board: waiting at a stage with a past interview
    whose scorecards are half owed, or with an interview booked in the next two weeks."""
    candidate_id = loader.new_id("candidate")
    application_id = loader.new_id("application")
    applied = now - timedelta(days=rng.uniform(3, 80))
    entered = applied + (now - applied) * rng.uniform(0, 0.8)
    position = rng.randrange(len(stages))
    plan_stage_id, panel_size, focus = stages[position]
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    loader.add(
        "candidate",
        {
            "id": candidate_id,
            "team_id": team_id,
            "name": name,
            "email": f"bench-board-{n}@example.org",
            "phone": "",
            "links": "",
            "source": rng.choice(("Careers page", "Referral", "Agency", "Sourced")),
            "notes": "",
            "created_at": applied,
            "updated_at": applied,
        },
    )
    loader.add(
        "application",
        {
            "id": application_id,
            "team_id": team_id,
            "candidate_id": candidate_id,
            "job_id": job_id,
            "current_stage_id": plan_stage_id,
            "status": "on_hold" if rng.random() < 0.05 else "active",
            "exit_reason": None,
            "exit_note": "",
            "stage_entered_at": entered,
            "closed_at": None,
            "portal_generation": 1,
            "cover_note": "",
            "created_at": applied,
            "updated_at": entered,
        },
    )
    loader.add(
        "stage_visit",
        {
            "id": loader.new_id("stage_visit"),
            "team_id": team_id,
            "application_id": application_id,
            "job_id": job_id,
            "plan_stage_id": plan_stage_id,
            "entered_at": entered,
            "left_at": None,
            "left_by": None,
            "reason": None,
        },
    )
    if rng.random() < 0.15:
        return  # waiting to be scheduled: the schedule page suggests slots
    past = rng.random() < 0.6
    if past:
        day = now - timedelta(days=rng.randint(1, 20))
    else:
        day = now + timedelta(days=rng.randint(1, 14))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    starts = day.replace(hour=rng.randint(9, 15), minute=0, second=0, microsecond=0)
    ends = starts + timedelta(minutes=60)
    interview_id = loader.new_id("interview")
    loader.add(
        "interview",
        {
            "id": interview_id,
            "team_id": team_id,
            "application_id": application_id,
            "plan_stage_id": plan_stage_id,
            "kit_version_id": None,
            "starts_at": starts,
            "ends_at": ends,
            "timezone": "UTC",
            "location": "",
            "video_url": "",
            "status": "scheduled",
            "cancel_reason": "",
            "uid": f"bench-{interview_id}@interviewer",
            "sequence": 0,
            "created_at": entered,
            "updated_at": entered,
        },
    )
    panel = rng.sample(interviewers, panel_size)
    for user_id in panel:
        loader.add(
            "panel_member",
            {"team_id": team_id, "interview_id": interview_id, "user_id": user_id},
        )
        if not past or rng.random() < 0.5:
            continue  # upcoming, or owed: no scorecard yet
        scorecard_id = loader.new_id("scorecard")
        submitted_at = ends + timedelta(hours=rng.uniform(1, 20))
        loader.add(
            "scorecard",
            {
                "id": scorecard_id,
                "team_id": team_id,
                "interview_id": interview_id,
                "interviewer_id": user_id,
                "application_id": application_id,
                "kit_version_id": None,
                "state": "submitted",
                "version": 1,
                "lock_version": 1,
                "key_takeaways": "",
                "recommendation": rng.randint(1, 4),
                "submitted_at": submitted_at,
                "amendment_reason": "",
                "created_at": ends,
                "updated_at": submitted_at,
            },
        )
        for skill_id in focus:
            loader.add(
                "rating",
                {
                    "id": loader.new_id("rating"),
                    "team_id": team_id,
                    "scorecard_id": scorecard_id,
                    "skill_id": skill_id,
                    "score": rng.randint(1, 4),
                    "evidence": "",
                },
            )


def describe(counts: Counts) -> Iterator[str]:
    for table, n in counts.rows.items():
        yield f"{table:<22}{n:>10,}"
