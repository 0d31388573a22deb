"""Build the demo candidates through the services: applications, interviews, scorecards,
moves and decisions, each dated when it happened in the demo's story."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from interviewer.auth.models import User
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.candidates.pipeline import Move
from interviewer.candidates.services import add_candidate, apply_to_job
from interviewer.candidates.sources import add_source, team_sources
from interviewer.plans.models import Job, PlanStage, Workplace
from interviewer.scheduling.models import Interview
from interviewer.scheduling.services import schedule_interview
from interviewer.scorecards.decisions import record_decision
from interviewer.seed.pipeline_data import APPLICATIONS, CANDIDATES, AppSpec
from interviewer.seed.scorecards import write_scorecards
from interviewer.seed.setup import Demo
from interviewer.seed.slots import Calendar

#: Who sits on the panels of each stage type, tried in turn.
PANEL_POOLS = {
    "screen": ["daniel", "sofia"],
    "live_coding": ["priya", "marcus", "sofia"],
    "whiteboard": ["sofia", "priya"],
    "system_design": ["marcus", "priya", "sofia"],
    "behavioral": ["sofia", "daniel"],
    "final": ["daniel", "priya", "marcus"],
}
#: Days between consecutive stages of one application.
STAGE_GAP = timedelta(days=3)
#: How far back the first interviews and ahead the last ones may lie.
HORIZON = timedelta(days=60)
OFFICE = "Acme office, Rosenthaler Str. 40, Berlin (ask for the team at reception)"

S = ApplicationStatus

#: The move that takes an active application to each other status (hired: offer, then hire).
STATUS_MOVES = {
    S.ON_HOLD: Move.HOLD,
    S.REJECTED: Move.REJECT,
    S.WITHDRAWN: Move.WITHDRAW,
    S.OFFER: Move.OFFER,
    S.HIRED: Move.HIRE,
}


@dataclass(frozen=True)
class Booking:
    """One interview of the demo: its stage, panel and time."""

    stage: PlanStage
    panel: list[User]
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Story:
    """When one application's interviews take place, found before anything is added."""

    spec: AppSpec
    past: list[Booking]
    upcoming: Booking | None
    applied_at: datetime


def build(demo: Demo) -> None:
    """Add every candidate and application of the demo with its interviews and outcomes."""
    gap = timedelta(minutes=demo.team.min_break_minutes)
    calendar = Calendar(
        demo.session, demo.users.values(), demo.now - HORIZON, demo.now + HORIZON, gap
    )
    stories = [_story(demo, calendar, index, spec) for index, spec in enumerate(APPLICATIONS)]
    first_applied: dict[str, datetime] = {}
    for story in stories:
        key = story.spec.candidate
        first_applied[key] = min(first_applied.get(key, story.applied_at), story.applied_at)
    _add_sources(demo)
    candidates = {}
    for key, name, timezone, source, link in CANDIDATES:
        with demo.at(first_applied.get(key, demo.now)):
            candidates[key], _new = add_candidate(
                demo.session,
                demo.team,
                name=name,
                email=_email(name),
                timezone=timezone,
                source=source,
                links=link,
                actor=demo.manager,
            )
    for story in stories:
        _play(demo, story, candidates[story.spec.candidate])


def _add_sources(demo: Demo) -> None:
    """The demo's own sources (LinkedIn, Meetup...) after the built-in ones, in first use."""
    known = {source.name for source in team_sources(demo.session, demo.team.id)}
    for _key, _name, _timezone, source, _link in CANDIDATES:
        if source and source not in known:
            add_source(demo.session, demo.team.id, demo.manager, source)
            known.add(source)


def _email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = plain.lower().replace("'", "").split()
    return f"{parts[0]}.{parts[-1]}@example.org"


def _story(demo: Demo, calendar: Calendar, index: int, spec: AppSpec) -> Story:
    """Past interviews (found backwards from the last one) and the upcoming one, if any."""
    stages = demo.jobs[spec.job].stages
    past: list[Booking] = []
    day = demo.today - timedelta(days=spec.last_days_ago)
    latest = demo.now - timedelta(hours=3)
    for stage in reversed(stages[: spec.done]):
        panel, start, end = calendar.book(
            _panels(demo, stage, index),
            spec.candidate,
            stage.duration_minutes,
            day,
            backwards=True,
            not_before=demo.now - HORIZON,
            not_after=latest,
            offset=index * 5,
        )
        past.insert(0, Booking(stage, list(panel), start, end))
        day, latest = start.date() - STAGE_GAP, start - STAGE_GAP
    upcoming = None
    if spec.upcoming:
        stage = stages[spec.done]
        panel, start, end = calendar.book(
            _panels(demo, stage, index),
            spec.candidate,
            stage.duration_minutes,
            demo.today + timedelta(days=spec.ahead_days),
            not_before=demo.now + timedelta(hours=12),
            not_after=demo.now + HORIZON,
            offset=index * 5,
        )
        upcoming = Booking(stage, list(panel), start, end)
    first = past[0].start if past else upcoming.start if upcoming else demo.now
    return Story(spec, past, upcoming, applied_at=first - timedelta(days=4))


def _panels(demo: Demo, stage: PlanStage, index: int) -> list[tuple[User, ...]]:
    pool = PANEL_POOLS[stage.stage_type.key]
    turn = index % len(pool)
    rotated = [demo.users[key] for key in pool[turn:] + pool[:turn]]
    return list(itertools.combinations(rotated, stage.panel_size))


def _play(demo: Demo, story: Story, candidate: Candidate) -> None:
    """Apply, then book, hold and score each interview and move on, as the team would have."""
    spec, job = story.spec, demo.jobs[story.spec.job]
    with demo.at(story.applied_at):
        application = apply_to_job(demo.session, candidate, job, demo.manager, now=story.applied_at)
    for booking in story.past:
        interview = _book(demo, application, booking, story.applied_at)
        last = booking.stage.position == spec.done
        write_scorecards(demo, interview, booking.panel, spec, drafts=spec.drafts if last else 0)
        if booking.stage.position < spec.stage:
            _move(demo, application, Move.ADVANCE, booking.end + timedelta(hours=2))
    if story.upcoming:
        _book(demo, application, story.upcoming, story.applied_at)
    status = S(spec.status)
    if status is not S.ACTIVE:
        _leave_active(demo, application, spec, status, story.past[-1].end)


def _book(
    demo: Demo, application: Application, booking: Booking, applied_at: datetime
) -> Interview:
    """Schedule the interview as the manager did, up to five days before it."""
    stage, job = booking.stage, application.job
    in_office = stage.stage_type.key == "final" and job.workplace != Workplace.REMOTE
    scheduled_at = min(
        max(applied_at, booking.start - timedelta(days=5)), demo.now - timedelta(hours=2)
    )
    with demo.at(scheduled_at):
        return schedule_interview(
            demo.session,
            application,
            stage,
            booking.start,
            booking.panel,
            location=OFFICE if in_office else "",
            video_url=_video_url(job, booking.start),
            actor=demo.manager,
            now=scheduled_at,
            timezone=demo.team.timezone,
        )


def _video_url(job: Job, start: datetime) -> str:
    return f"https://meet.acme.example/{job.slug}-{start:%Y%m%d-%H%M}"


def _leave_active(
    demo: Demo, application: Application, spec: AppSpec, status: S, last_end: datetime
) -> None:
    """Move the application out of active after its last interview, as the board would.

    A decision makes its own move; hired comes after an offer made a few days earlier.
    """
    latest = demo.now - timedelta(hours=1)
    changed_at = min(last_end + timedelta(days=1), latest)
    if status is S.HIRED:
        _move(demo, application, Move.OFFER, min(changed_at, latest - timedelta(hours=1)))
        changed_at = min(last_end + timedelta(days=4), latest)
    if spec.decision is None:
        reason = spec.exit_reason if status.is_closed else None
        move = STATUS_MOVES[status]
        _move(demo, application, move, changed_at, reason=reason, note=spec.note)
        return
    outcome, rationale = spec.decision
    with demo.at(changed_at):
        record_decision(
            demo.session,
            application,
            demo.manager,
            outcome=outcome,
            rationale=rationale,
            reason=spec.exit_reason,
            now=changed_at,
        )


def _move(
    demo: Demo,
    application: Application,
    move: Move,
    when: datetime,
    *,
    reason: str | None = None,
    note: str = "",
) -> None:
    with demo.at(when):
        pipeline.move(
            demo.session, application, move, demo.manager, reason=reason, note=note, now=when
        )
