"""Build the demo candidates: applications, interviews, scorecards, decisions, audit trail."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import datetime, timedelta

from interviewer.auth.models import User
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.candidates.pipeline import Move
from interviewer.plans.models import Job, KitVersion, PlanStage, Workplace
from interviewer.scheduling.models import Interview, PanelMember
from interviewer.scorecards.models import (
    RATING_LABELS,
    Decision,
    DecisionOutcome,
    Rating,
    Scorecard,
    ScorecardState,
)
from interviewer.seed.pipeline_data import (
    APPLICATIONS,
    CANDIDATES,
    EVIDENCE,
    SPLIT_EVIDENCE,
    AppSpec,
)
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
OFFICE = "Acme office, Rosenthaler Str. 40, Berlin (ask for the team at reception)"

Slot = tuple[PlanStage, list[User], datetime, datetime]
S = ApplicationStatus


def build(demo: Demo) -> None:
    """Add every candidate and application of the demo with its interviews and outcomes."""
    calendar = Calendar(demo.session, demo.team.id)
    candidates = {
        key: Candidate(
            team=demo.team,
            name=name,
            email=_email(name),
            timezone=timezone,
            source=source,
            links=link,
        )
        for key, name, timezone, source, link in CANDIDATES
    }
    demo.session.add_all(candidates.values())
    first_use: dict[KitVersion, datetime] = {}
    for index, spec in enumerate(APPLICATIONS):
        candidate = candidates[spec.candidate]
        application, interviews = _add_application(demo, calendar, index, spec, candidate)
        if candidate.created_at is None or application.created_at < candidate.created_at:
            candidate.created_at = application.created_at
        for interview in interviews:
            kit, start = interview.kit_version, interview.starts_at
            if interview.ends_at < demo.now and (kit not in first_use or start < first_use[kit]):
                first_use[kit] = start
    # A kit is fixed by the first interview that used it.
    for kit, used_at in first_use.items():
        kit.used_at = used_at


def _email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = plain.lower().replace("'", "").split()
    return f"{parts[0]}.{parts[-1]}@example.org"


def _schedule(
    demo: Demo, calendar: Calendar, index: int, spec: AppSpec, candidate: Candidate
) -> tuple[list[Slot], Slot | None]:
    """Past interviews (found backwards from the last one) and the upcoming one, if any."""
    stages = demo.jobs[spec.job].stages
    past: list[Slot] = []
    day = demo.today - timedelta(days=spec.last_days_ago)
    latest = demo.now - timedelta(hours=3)
    for stage in reversed(stages[: spec.done]):
        panel, start, end = calendar.book(
            _panels(demo, stage, index),
            candidate,
            stage.duration_minutes,
            day,
            backwards=True,
            not_before=demo.now - timedelta(days=60),
            not_after=latest,
            offset=index * 5,
        )
        past.insert(0, (stage, list(panel), start, end))
        day, latest = start.date() - STAGE_GAP, start - STAGE_GAP
    upcoming = None
    if spec.upcoming:
        stage = stages[spec.done]
        panel, start, end = calendar.book(
            _panels(demo, stage, index),
            candidate,
            stage.duration_minutes,
            demo.today + timedelta(days=spec.ahead_days),
            not_before=demo.now + timedelta(hours=12),
            not_after=demo.now + timedelta(days=60),
            offset=index * 5,
        )
        upcoming = (stage, list(panel), start, end)
    return past, upcoming


def _panels(demo: Demo, stage: PlanStage, index: int) -> list[tuple[User, ...]]:
    pool = PANEL_POOLS[stage.stage_type.key]
    turn = index % len(pool)
    rotated = [demo.users[key] for key in pool[turn:] + pool[:turn]]
    return list(itertools.combinations(rotated, stage.panel_size))


def _add_application(
    demo: Demo, calendar: Calendar, index: int, spec: AppSpec, candidate: Candidate
) -> tuple[Application, list[Interview]]:
    job = demo.jobs[spec.job]
    past, upcoming = _schedule(demo, calendar, index, spec, candidate)
    first = past[0][2] if past else upcoming[2] if upcoming else demo.now
    applied_at = first - timedelta(days=4)
    status = S(spec.status)
    application = Application(
        team=demo.team,
        candidate=candidate,
        job=job,
        current_stage=job.stages[spec.stage - 1],
        status=status,
        exit_reason=spec.exit_reason,
        created_at=applied_at,
        stage_entered_at=applied_at,
    )
    demo.session.add(application)
    demo.audit(
        demo.manager,
        "application.created",
        application,
        applied_at,
        job=job.title,
        to_stage=job.stages[0].name,
        to_status=S.ACTIVE.value,
    )
    interviews = []
    for stage, panel, start, end in past:
        interviews.append(
            _add_interview(demo, application, spec, stage, panel, start, end, applied_at)
        )
        if stage.position < spec.stage:
            moved_at = end + timedelta(hours=2)
            application.stage_entered_at = moved_at
            _moved(demo, application, moved_at, Move.ADVANCE, stage, job.stages[stage.position])
    if upcoming:
        interviews.append(_add_interview(demo, application, spec, *upcoming, applied_at))
    if status is not S.ACTIVE:
        _leave_active(demo, application, spec, status, past[-1][3])
    return application, interviews


#: The move that takes an active application to each other status (hired: offer, then hire).
STATUS_MOVES = {
    S.ON_HOLD: Move.HOLD,
    S.REJECTED: Move.REJECT,
    S.WITHDRAWN: Move.WITHDRAW,
    S.OFFER: Move.OFFER,
}


def _leave_active(
    demo: Demo, application: Application, spec: AppSpec, status: S, last_end: datetime
) -> None:
    """Move the application out of active after its last interview, as the board would."""
    stage = application.current_stage
    latest = demo.now - timedelta(hours=1)
    changed_at = min(last_end + timedelta(days=1), latest)
    if status is S.HIRED:
        # Hired comes after an offer, a few days later.
        offered_at = min(changed_at, latest - timedelta(hours=1))
        _moved(demo, application, offered_at, Move.OFFER, stage, stage, S.ACTIVE, S.OFFER)
        changed_at = min(last_end + timedelta(days=4), latest)
        _moved(demo, application, changed_at, Move.HIRE, stage, stage, S.OFFER, S.HIRED)
    else:
        move = STATUS_MOVES[status]
        reason = spec.exit_reason if status.is_closed else None
        _moved(
            demo, application, changed_at, move, stage, stage, S.ACTIVE, status, reason, spec.note
        )
    if status in (S.OFFER, S.HIRED):
        # Offer and Hired are board columns of their own: days in stage start again.
        application.stage_entered_at = changed_at
    if status in (S.REJECTED, S.WITHDRAWN):
        application.exit_note = spec.note
    if status.is_closed:
        application.closed_at = changed_at
    if spec.decision:
        _add_decision(demo, application, spec.decision, changed_at)


def _moved(
    demo: Demo,
    application: Application,
    when: datetime,
    move: Move,
    from_stage: PlanStage,
    to_stage: PlanStage,
    from_status: S = S.ACTIVE,
    to_status: S = S.ACTIVE,
    reason: str | None = None,
    note: str = "",
) -> None:
    """Record a move with the data ``candidates.pipeline.move`` records."""
    demo.audit(
        demo.manager,
        "application.moved",
        application,
        when,
        move=move.value,
        from_stage=from_stage.name,
        to_stage=to_stage.name,
        from_status=from_status.value,
        to_status=to_status.value,
        reason=reason,
        note=note,
    )


def _add_interview(
    demo: Demo,
    application: Application,
    spec: AppSpec,
    stage: PlanStage,
    panel: list[User],
    start: datetime,
    end: datetime,
    applied_at: datetime,
) -> Interview:
    in_office = stage.stage_type.key == "final" and application.job.workplace != Workplace.REMOTE
    scheduled_at = min(max(applied_at, start - timedelta(days=5)), demo.now - timedelta(hours=2))
    interview = Interview(
        team=demo.team,
        application=application,
        plan_stage=stage,
        kit_version=stage.current_kit,
        starts_at=start,
        ends_at=end,
        timezone=demo.team.timezone,
        location=OFFICE if in_office else "",
        video_url=_video_url(application.job, start),
        created_at=scheduled_at,
        panel=[PanelMember(team=demo.team, user=user) for user in panel],
    )
    demo.session.add(interview)
    demo.audit(demo.manager, "interview.scheduled", interview, scheduled_at, stage=stage.name)
    if end < demo.now:
        is_last = stage.position == spec.done
        for seat, user in enumerate(panel):
            draft = is_last and seat >= len(panel) - spec.drafts
            _add_scorecard(demo, interview, spec, user, seat, draft)
    return interview


def _video_url(job: Job, start: datetime) -> str:
    return f"https://meet.acme.example/{job.slug}-{start:%Y%m%d-%H%M}"


def _score(spec: AppSpec, skill: str, seat: int) -> int:
    if spec.split and spec.split[0] == skill:
        return spec.split[1] if seat == 0 else spec.split[2]
    score = spec.score + (skill in spec.strong) - (skill in spec.weak)
    return max(1, min(4, score))


def _add_scorecard(
    demo: Demo, interview: Interview, spec: AppSpec, user: User, seat: int, draft: bool
) -> None:
    """A submitted scorecard with every focus skill rated, or a half-filled draft."""
    skills = interview.plan_stage.focus_skills
    if draft:
        skills = skills[: (len(skills) + 1) // 2]
    ratings = []
    for skill in skills:
        score = _score(spec, skill.name, seat)
        split = spec.split is not None and spec.split[0] == skill.name
        evidence = (SPLIT_EVIDENCE if split else EVIDENCE)[score]
        ratings.append(Rating(team=demo.team, skill=skill, score=score, evidence=evidence))
    scorecard = Scorecard(
        team=demo.team,
        interview=interview,
        interviewer=user,
        application=interview.application,
        kit_version=interview.kit_version,
        state=ScorecardState.DRAFT if draft else ScorecardState.SUBMITTED,
        ratings=ratings,
        created_at=interview.ends_at + timedelta(minutes=20),
    )
    demo.session.add(scorecard)
    if draft:
        return
    best = max(ratings, key=lambda rating: rating.score)
    worst = min(ratings, key=lambda rating: rating.score)
    scorecard.recommendation = max(1, min(4, round(sum(r.score for r in ratings) / len(ratings))))
    scorecard.key_takeaways = (
        f"Strongest on {best.skill.name}; weakest on {worst.skill.name}. "
        f"Overall: {RATING_LABELS[scorecard.recommendation].lower()}."
        if best.score != worst.score
        else f"Even across the focus skills: {RATING_LABELS[best.score].lower()} on each."
    )
    scorecard.submitted_at = interview.ends_at + timedelta(hours=2)
    demo.audit(user, "scorecard.submitted", scorecard, scorecard.submitted_at)


def _add_decision(
    demo: Demo, application: Application, decision: tuple[str, str], when: datetime
) -> None:
    outcome, rationale = decision
    row = Decision(
        team=demo.team,
        application=application,
        decided_by=demo.manager,
        outcome=DecisionOutcome(outcome),
        rationale=rationale,
        created_at=when,
    )
    demo.session.add(row)
    demo.audit(demo.manager, "decision.recorded", row, when, outcome=outcome)
