"""Write the demo's history (``history.Story``) in a few bulk inserts, with the rows and
audit events the services would have added for each step: candidates, applications and
their stays, self-identification answers, interviews and panels, submitted scorecards with
their ratings and versions, decisions.

No email is queued: these things happened months ago, and an outbox row would be sent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select, update

from interviewer.audit.models import AuditEvent
from interviewer.candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    SelfIdentification,
    StageVisit,
)
from interviewer.plans.models import KitVersion, Workplace
from interviewer.reports import summaries
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import (
    RATING_LABELS,
    Decision,
    DecisionOutcome,
    Rating,
    Scorecard,
    ScorecardRevision,
    ScorecardState,
)
from interviewer.seed import history_data as data
from interviewer.seed.history_stories import Held, Story
from interviewer.seed.pipeline import OFFICE
from interviewer.seed.setup import Demo

CANCEL_REASON = "The candidate withdrew."


def _insert(demo: Demo, model: Any, rows: list[dict]) -> list[int]:
    """Insert ``rows`` into ``model``'s table in one statement; their ids, in order."""
    if not rows:
        return []
    table: Table = model.__table__
    if "id" not in table.c:
        demo.session.execute(insert(table), rows)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(demo.session.execute(statement, rows).scalars())


class _Writer:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.team_id = demo.team.id
        self.manager_id = demo.manager.id
        self.users = {key: user.id for key, user in demo.users.items()}
        self.skills = {name: skill.id for name, skill in demo.skills.items()}
        self.events: list[dict] = []
        self.uids = uuid.UUID(int=data.SEED).int

    def event(self, at: datetime, action: str, subject: str, subject_id: int, actor, **info):
        self.events.append(
            {
                "team_id": self.team_id,
                "actor_id": actor,
                "action": action,
                "subject_type": subject,
                "subject_id": subject_id,
                "data": info,
                "created_at": at,
            }
        )

    def uid(self) -> str:
        self.uids += 1
        return f"{uuid.UUID(int=self.uids % (1 << 128))}@interviewer"


def write(demo: Demo, stories: list[Story]) -> None:
    """Add every row of ``stories`` and their audit events; flushes nothing else."""
    demo.session.flush()
    writer = _Writer(demo)
    applications = _applications(writer, stories)
    _stays(writer, stories, applications)
    interviews = _interviews(writer, stories, applications)
    _scorecards(writer, interviews)
    # Written in bulk, past the scorecard services: the reports' running sums follow here.
    summaries.refresh(demo.session, writer.team_id)
    _decisions(writer, stories, applications)
    _insert(demo, AuditEvent, writer.events)
    _mark_kits_used(writer, [held for held, _id, _app in interviews])


def _applications(writer: _Writer, stories: list[Story]) -> list[int]:
    team_id, manager_id = writer.team_id, writer.manager_id
    candidates = _insert(
        writer.demo,
        Candidate,
        [
            {
                "team_id": team_id,
                "name": story.name,
                "email": story.email,
                "source": story.source,
                "timezone": story.timezone,
                "created_at": story.received_at,
                "updated_at": story.received_at,
            }
            for story in stories
        ],
    )
    rows = []
    for story, candidate_id in zip(stories, candidates, strict=True):
        last = story.steps[-1]
        closed = ApplicationStatus(story.status).is_closed
        rows.append(
            {
                "team_id": team_id,
                "candidate_id": candidate_id,
                "job_id": story.job.id,
                "current_stage_id": story.stage.id,
                "status": story.status,
                "exit_reason": last.reason if last.move in ("reject", "withdraw") else None,
                "exit_note": last.note if last.move in ("reject", "withdraw") else "",
                "stage_entered_at": story.stage_entered_at,
                "closed_at": story.closed_at if closed else None,
                "consented_at": story.received_at if story.careers else None,
                "consent_version": 1 if story.careers else None,
                "created_at": story.received_at,
                "updated_at": story.closed_at,
            }
        )
    applications = _insert(writer.demo, Application, rows)
    for story, candidate_id, application_id in zip(stories, candidates, applications, strict=True):
        actor = None if story.careers else manager_id
        writer.event(story.received_at, "candidate.created", "candidate", candidate_id, actor)
        writer.event(
            story.received_at,
            "application.created",
            "application",
            application_id,
            actor,
            job=story.job.title,
            to_stage=story.stays[0][0].name,
            to_status="active",
        )
        for step in story.steps:
            writer.event(
                step.at,
                "application.moved",
                "application",
                application_id,
                manager_id,
                move=step.move,
                from_stage=step.from_stage,
                to_stage=step.to_stage,
                from_status=step.from_status,
                to_status=step.to_status,
                reason=step.reason,
                note=step.note,
            )
    return applications


def _stays(writer: _Writer, stories: list[Story], applications: list[int]) -> None:
    team_id, stays, answers = writer.team_id, [], []
    for story, application_id in zip(stories, applications, strict=True):
        for stage, entered, left, left_by, reason in story.stays:
            stays.append(
                {
                    "team_id": team_id,
                    "application_id": application_id,
                    "job_id": story.job.id,
                    "plan_stage_id": stage.id,
                    "entered_at": entered,
                    "left_at": left,
                    "left_by": left_by,
                    "reason": reason,
                }
            )
        if story.answers:
            answers.append(
                {
                    "team_id": team_id,
                    "application_id": application_id,
                    "gender": story.answers.get("gender"),
                    "ethnicity": story.answers.get("ethnicity"),
                    "created_at": story.received_at,
                }
            )
    _insert(writer.demo, StageVisit, stays)
    _insert(writer.demo, SelfIdentification, answers)


def _interviews(writer: _Writer, stories, applications) -> list[tuple[Held, int, int]]:
    team_id, rows, held_list = writer.team_id, [], []
    timezone = writer.demo.team.timezone
    for story, application_id in zip(stories, applications, strict=True):
        for held in story.interviews:
            in_office = held.stage.stage_type.key == "final" and (
                story.job.workplace != Workplace.REMOTE
            )
            cancelled = held.cancelled_at is not None
            rows.append(
                {
                    "team_id": team_id,
                    "application_id": application_id,
                    "plan_stage_id": held.stage.id,
                    "kit_version_id": held.stage.current_kit.id,
                    "starts_at": held.starts_at,
                    "ends_at": held.ends_at,
                    "timezone": timezone,
                    "location": OFFICE if in_office else "",
                    "video_url": f"https://meet.acme.example/{story.job.slug}-"
                    f"{held.starts_at:%Y%m%d-%H%M}",
                    "status": InterviewStatus.CANCELLED if cancelled else InterviewStatus.SCHEDULED,
                    "cancel_reason": CANCEL_REASON if cancelled else "",
                    "uid": writer.uid(),
                    "sequence": 1 if cancelled else 0,
                    "created_at": held.booked_at,
                    "updated_at": held.cancelled_at or held.booked_at,
                }
            )
            held_list.append((held, application_id))
    ids = _insert(writer.demo, Interview, rows)
    panels = []
    for (held, application_id), interview_id in zip(held_list, ids, strict=True):
        panel = [writer.users[user] for user in held.panel]
        panels += [{"team_id": team_id, "interview_id": interview_id, "user_id": u} for u in panel]
        writer.event(
            held.booked_at,
            "interview.scheduled",
            "interview",
            interview_id,
            writer.manager_id,
            application_id=application_id,
            plan_stage_id=held.stage.id,
            starts_at=held.starts_at.isoformat(),
            panel=panel,
        )
        if held.cancelled_at is not None:
            writer.event(
                held.cancelled_at,
                "interview.cancelled",
                "interview",
                interview_id,
                writer.manager_id,
                reason=CANCEL_REASON,
            )
    _insert(writer.demo, PanelMember, panels)
    return [(held, i, a) for (held, a), i in zip(held_list, ids, strict=True)]


def _scorecards(writer: _Writer, interviews: list[tuple[Held, int, int]]) -> None:
    team_id, rows, cards = writer.team_id, [], []
    for held, interview_id, application_id in interviews:
        for card in held.cards if held.cancelled_at is None else ():
            amended = card.first is not None
            rows.append(
                {
                    "team_id": team_id,
                    "interview_id": interview_id,
                    "interviewer_id": writer.users[card.user],
                    "application_id": application_id,
                    "kit_version_id": held.stage.current_kit.id,
                    "state": ScorecardState.SUBMITTED,
                    "version": 2 if amended else 1,
                    "lock_version": 2 if amended else 1,
                    "key_takeaways": _takeaways(card.ratings, card.recommendation),
                    "recommendation": card.recommendation,
                    "submitted_at": card.submitted_at,
                    "amendment_reason": card.first[2] if amended else "",
                    "created_at": card.submitted_at,
                    "updated_at": card.first[3] if amended else card.submitted_at,
                }
            )
            cards.append((card, interview_id))
    ids = _insert(writer.demo, Scorecard, rows)
    ratings, revisions = [], []
    for (card, interview_id), scorecard_id in zip(cards, ids, strict=True):
        user_id = writer.users[card.user]
        ratings += [
            {
                "team_id": team_id,
                "scorecard_id": scorecard_id,
                "skill_id": writer.skills[skill],
                "score": score,
                "evidence": _evidence(score, scorecard_id),
            }
            for skill, score in card.ratings.items()
        ]
        versions = [(card.ratings, card.recommendation, "", card.submitted_at)]
        if card.first is not None:
            first_ratings, first_recommendation, reason, amended_at = card.first
            versions = [
                (first_ratings, first_recommendation, "", card.submitted_at),
                (card.ratings, card.recommendation, reason, amended_at),
            ]
        for number, (scores, recommendation, reason, at) in enumerate(versions, start=1):
            revisions.append(
                {
                    "team_id": team_id,
                    "scorecard_id": scorecard_id,
                    "number": number,
                    "content": _content(writer, scores, recommendation, scorecard_id),
                    "reason": reason,
                    "author_id": user_id,
                    "created_at": at,
                }
            )
            action = "scorecard.amended" if reason else "scorecard.submitted"
            extra = {"reason": reason} if reason else {}
            writer.event(
                at,
                action,
                "scorecard",
                scorecard_id,
                user_id,
                interview_id=interview_id,
                version=number,
                **extra,
            )
    _insert(writer.demo, Rating, ratings)
    _insert(writer.demo, ScorecardRevision, revisions)


def _evidence(score: int | None, index: int) -> str:
    if score is None:
        return data.NOT_ASSESSED
    texts = data.EVIDENCE[score]
    return texts[index % len(texts)]


def _takeaways(ratings: dict[str, int | None], recommendation: int) -> str:
    scores = {skill: score for skill, score in ratings.items() if score is not None}
    best = max(scores, key=scores.__getitem__)
    worst = min(scores, key=scores.__getitem__)
    if scores[best] == scores[worst]:
        return f"Even across the focus skills: {RATING_LABELS[scores[best]].lower()} on each."
    return (
        f"Strongest on {best}; weakest on {worst}. "
        f"Overall: {RATING_LABELS[recommendation].lower()}."
    )


def _content(writer: _Writer, scores, recommendation: int, index: int) -> dict:
    """A version's content as ``scorecards.services`` keeps it, ratings in kit order."""
    return {
        "recommendation": recommendation,
        "key_takeaways": _takeaways(scores, recommendation),
        "ratings": [
            {
                "skill_id": writer.skills[skill],
                "skill": skill,
                "score": score,
                "evidence": _evidence(score, index),
            }
            for skill, score in sorted(scores.items(), key=lambda item: item[0].lower())
        ],
    }


def _decisions(writer: _Writer, stories: list[Story], applications: list[int]) -> None:
    rows, made = [], []
    for story, application_id in zip(stories, applications, strict=True):
        for step in story.steps:
            if step.decision is None:
                continue
            outcome, rationale = step.decision
            rows.append(
                {
                    "team_id": writer.team_id,
                    "application_id": application_id,
                    "decided_by_id": writer.manager_id,
                    "outcome": DecisionOutcome(outcome),
                    "rationale": rationale,
                    "created_at": step.at,
                }
            )
            made.append((step, application_id, outcome))
    ids = _insert(writer.demo, Decision, rows)
    for (step, application_id, outcome), decision_id in zip(made, ids, strict=True):
        writer.event(
            step.at,
            "decision.recorded",
            "decision",
            decision_id,
            writer.manager_id,
            outcome=outcome,
            application_id=application_id,
            reason=step.reason if outcome == "reject" else None,
            missing_scorecards=[],
        )


def _mark_kits_used(writer: _Writer, interviews: list[Held]) -> None:
    """Each kit was first used when the history's first interview of it was booked."""
    first: dict[int, datetime] = {}
    for held in interviews:
        kit_id = held.stage.current_kit.id
        first[kit_id] = min(first.get(kit_id, held.booked_at), held.booked_at)
    session = writer.demo.session
    for kit in session.scalars(select(KitVersion).where(KitVersion.id.in_(first))):
        if kit.used_at is not None and kit.used_at <= first[kit.id]:
            continue
        if kit.used_at is None:
            writer.event(
                first[kit.id],
                "kit_version.used",
                "kit_version",
                kit.id,
                None,
                plan_stage_id=kit.plan_stage_id,
                number=kit.number,
            )
            _insert(writer.demo, AuditEvent, writer.events[-1:])
        else:
            session.execute(
                update(AuditEvent)
                .where(
                    AuditEvent.subject_type == "kit_version",
                    AuditEvent.subject_id == kit.id,
                    AuditEvent.action == "kit_version.used",
                )
                .values(created_at=first[kit.id])
            )
        kit.used_at = first[kit.id]
    session.flush()
