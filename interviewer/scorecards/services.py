"""Writing scorecards: drafts, submission and amendments.

A scorecard belongs to one panel member of one interview and can be written once the
interview has started. Every save carries the ``lock_version`` the form was loaded with, so
two tabs (or two people's saves) never silently overwrite each other. A submitted scorecard
is locked; an amendment records a new version with its reason, and each submitted version is
kept as a ``ScorecardRevision``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from interviewer import audit
from interviewer.auth.models import User
from interviewer.catalog.models import Skill
from interviewer.plans.kits import rubric_anchors
from interviewer.plans.models import KitItem
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scheduling.services import on_panel
from interviewer.scorecards.errors import (
    IncompleteScorecard,
    InterviewCancelled,
    NotOnPanel,
    NotStartedYet,
    ScorecardError,
    ScorecardLocked,
    StaleScorecard,
)
from interviewer.scorecards.models import Rating, Scorecard, ScorecardRevision, ScorecardState
from interviewer.scorecards.signals import scorecard_submitted


@dataclass(frozen=True)
class KitEntry:
    """One focus skill of an interview with its kit text (questions, probe, rubric anchors)."""

    skill: Skill
    questions: str = ""
    probe: str = ""
    rubric: str = ""


@dataclass
class RatingInput:
    """What the interviewer wrote for one focus skill; ``score`` None means not assessed."""

    score: int | None = None
    evidence: str = ""


@dataclass
class ScorecardInput:
    """The content of a scorecard as typed: ratings by skill id, takeaways, recommendation."""

    ratings: dict[int, RatingInput] = field(default_factory=dict)
    key_takeaways: str = ""
    recommendation: int | None = None


def kit_entries(session: Session, interview: Interview) -> list[KitEntry]:
    """The focus skills of ``interview`` with the kit text of the version it uses.

    Without a kit version (an interview booked before kits existed) the stage's focus skills
    are used with the rubric anchors of the job's level from the competency matrix.
    """
    if interview.kit_version_id is not None:
        items = session.scalars(
            select(KitItem)
            .where(KitItem.kit_version_id == interview.kit_version_id)
            .options(selectinload(KitItem.skill))
        ).all()
        if items:
            entries = [KitEntry(i.skill, i.questions, i.probe, i.rubric) for i in items]
            return sorted(entries, key=lambda entry: entry.skill.name.lower())
    skills = interview.plan_stage.focus_skills
    anchors = rubric_anchors(
        session, interview.application.job.level_id, [skill.id for skill in skills]
    )
    return [KitEntry(skill, rubric=anchors.get(skill.id, "")) for skill in skills]


def find_scorecard(session: Session, interview: Interview, user: User) -> Scorecard | None:
    """``user``'s scorecard of ``interview`` with its ratings and history, if there is one."""
    return session.scalar(
        select(Scorecard)
        .where(
            Scorecard.team_id == interview.team_id,
            Scorecard.interview_id == interview.id,
            Scorecard.interviewer_id == user.id,
        )
        .options(
            selectinload(Scorecard.ratings).selectinload(Rating.skill),
            selectinload(Scorecard.revisions).selectinload(ScorecardRevision.author),
        )
    )


def scorecard_for(session: Session, interview: Interview, user: User, now: datetime) -> Scorecard:
    """``user``'s scorecard of ``interview``: the stored one, or a new draft not yet added.

    Refuses people outside the panel, and (unless the scorecard is already submitted)
    cancelled interviews and interviews that have not started yet. A new draft joins the
    session on its first save.
    """
    if not on_panel(interview, user):
        raise NotOnPanel("Only the interviewers on this interview's panel write its scorecards.")
    scorecard = find_scorecard(session, interview, user)
    if scorecard is not None and scorecard.state == ScorecardState.SUBMITTED:
        # Whatever happened to the interview since, a submitted scorecard stays readable.
        return scorecard
    if interview.status == InterviewStatus.CANCELLED:
        raise InterviewCancelled("This interview was cancelled, so there is nothing to score.")
    if interview.starts_at > now:
        raise NotStartedYet(interview)
    if scorecard is not None:
        return scorecard
    return Scorecard(
        team_id=interview.team_id,
        interview=interview,
        interviewer=user,
        application_id=interview.application_id,
        kit_version_id=interview.kit_version_id,
        state=ScorecardState.DRAFT,
        version=1,
        key_takeaways="",
        amendment_reason="",
        ratings=[],
        revisions=[],
    )


def current_input(scorecard: Scorecard) -> ScorecardInput:
    """The stored content of ``scorecard`` in the shape a form fills from."""
    return ScorecardInput(
        ratings={r.skill_id: RatingInput(r.score, r.evidence) for r in scorecard.ratings},
        key_takeaways=scorecard.key_takeaways or "",
        recommendation=scorecard.recommendation,
    )


def missing_for_submission(data: ScorecardInput) -> dict[str | int, list[str]]:
    """What ``data`` lacks to be submitted: an overall recommendation, at least one rated
    focus skill, and the evidence of each rated one ("not assessed" needs none). Empty
    when it is complete.
    """
    errors: dict[str | int, list[str]] = {}
    if data.recommendation is None:
        errors["recommendation"] = ["Choose your overall recommendation."]
    rated = {i: r for i, r in data.ratings.items() if r.score is not None}
    if not rated:
        errors["ratings"] = [
            "Rate at least one focus skill and write the evidence for it; "
            "the others may stay “Not assessed”."
        ]
    for skill_id, rating in rated.items():
        if not rating.evidence.strip():
            errors[skill_id] = ["Write the evidence behind this rating."]
    return errors


def save_draft(
    session: Session,
    scorecard: Scorecard,
    data: ScorecardInput,
    *,
    entries: Sequence[KitEntry],
    expected_lock: int,
    actor: User,
    now: datetime,
) -> Scorecard:
    """Save ``data`` into the draft, complete or not."""
    _check_writable(scorecard, expected_lock)
    _apply(session, scorecard, data, entries, now)
    _flush(session, scorecard)
    _record(session, scorecard, actor, "scorecard.draft_saved")
    return scorecard


def submit(
    session: Session,
    scorecard: Scorecard,
    data: ScorecardInput,
    *,
    entries: Sequence[KitEntry],
    expected_lock: int,
    actor: User,
    now: datetime,
) -> Scorecard:
    """Submit the scorecard with ``data``; from now on it is locked (version 1)."""
    _check_writable(scorecard, expected_lock)
    errors = missing_for_submission(data)
    if errors:
        raise IncompleteScorecard(errors)
    _apply(session, scorecard, data, entries, now)
    scorecard.state = ScorecardState.SUBMITTED
    scorecard.submitted_at = now
    _snapshot(scorecard, entries, actor, now, reason="")
    _flush(session, scorecard)
    scorecard_submitted.send(scorecard, session=session)
    _record(session, scorecard, actor, "scorecard.submitted", version=scorecard.version)
    return scorecard


def amend(
    session: Session,
    scorecard: Scorecard,
    data: ScorecardInput,
    reason: str,
    *,
    entries: Sequence[KitEntry],
    expected_lock: int,
    actor: User,
    now: datetime,
) -> Scorecard:
    """Replace a submitted scorecard's content with ``data`` as its next version.

    The version being replaced stays in the history; ``reason`` says why and is required.
    """
    if scorecard.state != ScorecardState.SUBMITTED:
        raise ScorecardError("Only a submitted scorecard is amended; this one is still a draft.")
    _check_lock(scorecard, expected_lock)
    reason = _clean(reason)
    errors = missing_for_submission(data)
    if not reason:
        errors["reason"] = ["Say why you are amending the scorecard."]
    elif _content(current_input(scorecard), entries) == _content(_cleaned(data), entries):
        errors["changes"] = ["Nothing was changed; edit the scorecard before saving an amendment."]
    if errors:
        raise IncompleteScorecard(errors)
    if not any(revision.number == scorecard.version for revision in scorecard.revisions):
        # Scorecards submitted before revisions were kept: record the version being replaced.
        _snapshot(
            scorecard,
            entries,
            scorecard.interviewer,
            scorecard.submitted_at or now,
            reason=scorecard.amendment_reason,
        )
    _apply(session, scorecard, data, entries, now)
    scorecard.version += 1
    scorecard.amendment_reason = reason
    _snapshot(scorecard, entries, actor, now, reason=reason)
    _flush(session, scorecard)
    scorecard_submitted.send(scorecard, session=session)
    _record(
        session, scorecard, actor, "scorecard.amended", version=scorecard.version, reason=reason
    )
    return scorecard


def _check_lock(scorecard: Scorecard, expected_lock: int) -> None:
    if (scorecard.lock_version or 0) != expected_lock:
        raise StaleScorecard()


def _check_writable(scorecard: Scorecard, expected_lock: int) -> None:
    _check_lock(scorecard, expected_lock)
    if scorecard.state == ScorecardState.SUBMITTED:
        raise ScorecardLocked(scorecard)


def _clean(text: str | None) -> str:
    # Browsers send textarea line breaks as CRLF; stored text uses LF.
    return (text or "").replace("\r\n", "\n").strip()


def _cleaned(data: ScorecardInput) -> ScorecardInput:
    return ScorecardInput(
        ratings={i: RatingInput(r.score, _clean(r.evidence)) for i, r in data.ratings.items()},
        key_takeaways=_clean(data.key_takeaways),
        recommendation=data.recommendation,
    )


def _apply(
    session: Session,
    scorecard: Scorecard,
    data: ScorecardInput,
    entries: Sequence[KitEntry],
    now: datetime,
) -> None:
    """Write ``data`` into ``scorecard``, with a rating row for every focus skill."""
    data = _cleaned(data)
    by_skill = {rating.skill_id: rating for rating in scorecard.ratings}
    for entry in entries:
        rating = by_skill.get(entry.skill.id)
        if rating is None:
            rating = Rating(team_id=scorecard.team_id, skill_id=entry.skill.id, skill=entry.skill)
            scorecard.ratings.append(rating)
        typed = data.ratings.get(entry.skill.id, RatingInput())
        rating.score, rating.evidence = typed.score, typed.evidence
    scorecard.key_takeaways = data.key_takeaways
    scorecard.recommendation = data.recommendation
    # Always touch the row: the UPDATE is what checks and bumps ``lock_version``.
    scorecard.updated_at = now
    if scorecard.id is None:
        session.add(scorecard)


def _flush(session: Session, scorecard: Scorecard) -> None:
    """Flush, turning a lost race (another save first) into ``StaleScorecard``."""
    new = scorecard.id is None
    try:
        session.flush()
    except StaleDataError:
        raise StaleScorecard() from None
    except IntegrityError:
        if not new:
            raise
        # Two first saves at once: the unique (interview, interviewer) lets one in.
        raise StaleScorecard() from None


def _content(data: ScorecardInput, entries: Sequence[KitEntry]) -> dict[str, Any]:
    """A scorecard's content as plain JSON, ratings in kit order."""
    return {
        "recommendation": data.recommendation,
        "key_takeaways": data.key_takeaways,
        "ratings": [
            {
                "skill_id": entry.skill.id,
                "skill": entry.skill.name,
                "score": data.ratings.get(entry.skill.id, RatingInput()).score,
                "evidence": data.ratings.get(entry.skill.id, RatingInput()).evidence,
            }
            for entry in entries
        ],
    }


def _snapshot(
    scorecard: Scorecard,
    entries: Sequence[KitEntry],
    author: User | None,
    when: datetime,
    *,
    reason: str,
) -> None:
    scorecard.revisions.append(
        ScorecardRevision(
            team_id=scorecard.team_id,
            number=scorecard.version,
            content=_content(current_input(scorecard), entries),
            reason=reason,
            author=author,
            created_at=when,
        )
    )


def _record(session: Session, scorecard: Scorecard, actor: User, action: str, **data) -> None:
    audit.record(
        session,
        team_id=scorecard.team_id,
        actor=actor,
        action=action,
        subject=scorecard,
        interview_id=scorecard.interview_id,
        **data,
    )
