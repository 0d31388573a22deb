"""Everything the team holds about one candidate, as ``candidate.json`` in a ZIP, for an
access request: identity, applications with their stages and history, interviews,
scorecards, decisions, what they did on the portal and the emails sent to them.

Features that keep more about candidates add an :class:`ExportPart` by answering
``candidates.signals.candidate_export``; their files go in the ZIP under ``files/``.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from interviewer import audit
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import User
from interviewer.candidates.models import Application, Candidate
from interviewer.candidates.signals import ExportPart, candidate_export
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import Job
from interviewer.scheduling.models import CandidateWindow, Interview, PanelMember
from interviewer.scorecards.models import RATING_LABELS, Decision, Rating, Scorecard
from interviewer.signals import values_from_signal

#: Names the export's layout, so that a later change of it can be told apart.
FORMAT = "interviewer candidate export 1"


def rfc3339(value: datetime | None) -> str | None:
    """``value`` in UTC as RFC 3339 (``2026-05-04T16:30:00Z``), ``None`` kept."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _name(user: User | None) -> str | None:
    return user.name if user is not None else None


def _scale(score: int | None) -> str | None:
    return RATING_LABELS.get(score) if score is not None else None


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    """The candidate's identity and contact details."""
    return {
        "id": candidate.id,
        "name": candidate.name,
        "email": candidate.email,
        "phone": candidate.phone,
        "links": [line for line in candidate.links.splitlines() if line.strip()],
        "source": candidate.source,
        "notes": candidate.notes,
        "timezone": candidate.timezone,
        "added_at": rfc3339(candidate.created_at),
        "updated_at": rfc3339(candidate.updated_at),
        "erased_at": rfc3339(candidate.erased_at),
    }


def _interview(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.id,
        "stage": interview.plan_stage.name,
        "starts_at": rfc3339(interview.starts_at),
        "ends_at": rfc3339(interview.ends_at),
        "timezone": interview.timezone,
        "location": interview.location,
        "video_url": interview.video_url,
        "status": interview.status.value,
        "cancel_reason": interview.cancel_reason,
        "interviewers": [member.user.name for member in interview.panel],
    }


def _scorecard(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.id,
        "interview_id": card.interview_id,
        "stage": card.interview.plan_stage.name,
        "interviewer": card.interviewer.name,
        "state": card.state.value,
        "version": card.version,
        "submitted_at": rfc3339(card.submitted_at),
        "recommendation": card.recommendation,
        "recommendation_label": _scale(card.recommendation),
        "key_takeaways": card.key_takeaways,
        "amendment_reason": card.amendment_reason,
        "ratings": [
            {
                "skill": rating.skill.name,
                "rating": rating.score,
                "rating_label": _scale(rating.score) or "Not assessed",
                "evidence": rating.evidence,
            }
            for rating in sorted(card.ratings, key=lambda rating: rating.skill.name)
        ],
        "versions": [
            {
                "number": revision.number,
                "recorded_at": rfc3339(revision.created_at),
                "reason": revision.reason,
                "content": revision.content,
            }
            for revision in card.revisions
        ],
    }


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "outcome": decision.outcome.value,
        "rationale": decision.rationale,
        "decided_by": _name(decision.decided_by),
        "decided_at": rfc3339(decision.created_at),
    }


def _event(event: AuditEvent) -> dict[str, Any]:
    return {
        "action": event.action,
        "at": rfc3339(event.created_at),
        "by": _name(event.actor) if event.actor_id else None,
        "details": event.data,
    }


def _email(email: OutboxEmail) -> dict[str, Any]:
    return {
        "to": email.to_email,
        "subject": email.subject,
        "body": email.body,
        "status": email.status.value,
        "queued_at": rfc3339(email.created_at),
        "sent_at": rfc3339(email.sent_at),
    }


def _by_application(rows) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.application_id].append(row)
    return grouped


def build_export(session: Session, candidate: Candidate, now: datetime | None = None) -> dict:
    """What ``candidate.json`` holds about ``candidate``: a fixed number of queries, whatever
    the number of applications, interviews and scorecards."""
    team_id = candidate.team_id
    applications = session.scalars(
        select(Application)
        .where(Application.team_id == team_id, Application.candidate_id == candidate.id)
        .options(
            selectinload(Application.job).selectinload(Job.level),
            selectinload(Application.job).selectinload(Job.stages),
            selectinload(Application.current_stage),
        )
        .order_by(Application.created_at, Application.id)
    ).all()
    ids = [application.id for application in applications]
    interviews = session.scalars(
        select(Interview)
        .where(Interview.team_id == team_id, Interview.application_id.in_(ids))
        .options(
            selectinload(Interview.plan_stage),
            selectinload(Interview.panel).selectinload(PanelMember.user),
        )
        .order_by(Interview.starts_at, Interview.id)
    ).all()
    scorecards = session.scalars(
        select(Scorecard)
        .where(Scorecard.team_id == team_id, Scorecard.application_id.in_(ids))
        .options(
            selectinload(Scorecard.interview).selectinload(Interview.plan_stage),
            selectinload(Scorecard.interviewer),
            selectinload(Scorecard.ratings).selectinload(Rating.skill),
            selectinload(Scorecard.revisions),
        )
        .order_by(Scorecard.id)
    ).all()
    decisions = session.scalars(
        select(Decision)
        .where(Decision.team_id == team_id, Decision.application_id.in_(ids))
        .options(selectinload(Decision.decided_by))
        .order_by(Decision.created_at, Decision.id)
    ).all()
    windows = session.scalars(
        select(CandidateWindow)
        .where(CandidateWindow.team_id == team_id, CandidateWindow.application_id.in_(ids))
        .order_by(CandidateWindow.starts_at, CandidateWindow.id)
    ).all()
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.team_id == team_id,
            or_(
                (AuditEvent.subject_type == "candidate") & (AuditEvent.subject_id == candidate.id),
                (AuditEvent.subject_type == "application") & AuditEvent.subject_id.in_(ids),
            ),
        )
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
    emails = session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.team_id == team_id, OutboxEmail.to_email == candidate.email)
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
    ).all()

    interviews_of = _by_application(interviews)
    scorecards_of = _by_application(scorecards)
    decisions_of = _by_application(decisions)
    windows_of = _by_application(windows)
    history_of: dict[int, list] = defaultdict(list)
    for event in events:
        if event.subject_type == "application":
            history_of[event.subject_id].append(event)
    data = {
        "format": FORMAT,
        "exported_at": rfc3339(now or utcnow()),
        "team": candidate.team.name,
        "candidate": candidate_data(candidate),
        "candidate_history": [_event(e) for e in events if e.subject_type == "candidate"],
        "applications": [
            {
                "id": application.id,
                "job": application.job.title,
                "level": application.job.level.name,
                "plan": [stage.name for stage in application.job.stages],
                "current_stage": (
                    application.current_stage.name if application.current_stage else None
                ),
                "status": application.status.value,
                "exit_reason": application.exit_reason,
                "exit_note": application.exit_note,
                "applied_at": rfc3339(application.created_at),
                "stage_entered_at": rfc3339(application.stage_entered_at),
                "closed_at": rfc3339(application.closed_at),
                "history": [_event(event) for event in history_of[application.id]],
                "interviews": [_interview(i) for i in interviews_of[application.id]],
                "scorecards": [_scorecard(card) for card in scorecards_of[application.id]],
                "decisions": [_decision(d) for d in decisions_of[application.id]],
                "portal": {
                    "timezone": application.portal_timezone,
                    "proposed_windows": [
                        {
                            "starts_at": rfc3339(window.starts_at),
                            "ends_at": rfc3339(window.ends_at),
                            "proposed_at": rfc3339(window.created_at),
                        }
                        for window in windows_of[application.id]
                    ],
                },
            }
            for application in applications
        ],
        "emails": [_email(email) for email in emails],
    }
    return data


def _inside_files(path: str) -> str:
    """``path`` as a name under ``files/`` of the ZIP, whatever its part called it: no
    leading slash, no ``..`` that would climb out of the folder when unpacked."""
    steps = [step for step in path.replace("\\", "/").split("/") if step not in ("", ".", "..")]
    if steps and steps[0] == "files":
        steps = steps[1:]
    return "files/" + "/".join(steps or ["file"])


def contributed_parts(candidate: Candidate) -> list[ExportPart]:
    """The parts the other features add, in the order of their names."""
    parts = values_from_signal(candidate_export.send(candidate))
    return sorted(parts, key=lambda part: part.name)


def export_zip(session: Session, candidate: Candidate, now: datetime | None = None) -> bytes:
    """The ZIP of ``candidate.json`` and the contributed files (under ``files/``)."""
    data = build_export(session, candidate, now)
    files: dict[str, bytes] = {}
    for part in contributed_parts(candidate):
        data[part.name] = part.data
        for path, content in part.files.items():
            files[_inside_files(path)] = content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "candidate.json", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
        )
        for path, content in sorted(files.items()):
            archive.writestr(path, content)
    return buffer.getvalue()


def record_export(session: Session, candidate: Candidate, actor: User | None) -> None:
    """The audit event of an export: who took the candidate's data, and when."""
    audit.record(
        session,
        team_id=candidate.team_id,
        actor=actor,
        action="candidate.exported",
        subject=candidate,
    )
    session.flush()
