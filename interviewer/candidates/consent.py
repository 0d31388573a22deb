"""The team's privacy notice, which candidates agree to when they apply, and the careers
page settings an admin keeps: the notice and the self-identification questions asked.

Each change of the notice's text makes a new version; a consent records the version the
candidate was shown, so the team can tell later what each person agreed to.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import Team, User
from interviewer.candidates.self_identification import QUESTIONS

#: The notice of a team that has written none yet.
STANDARD_NOTICE = (
    "{team} keeps the details and the CV you send with this application, and what our "
    "interviewers note about you, to assess you for this job and to contact you about it. "
    "Only the people hiring for the job and your interviewers see them. We keep them while "
    "your application is open and for {months} months after it closes, then anonymise them. "
    "You may ask us at any time for a copy of what we hold about you, or to erase it."
)


def standard_notice(team: Team) -> str:
    """The standard notice, in ``team``'s name and with its retention period."""
    return STANDARD_NOTICE.format(team=team.public_name, months=team.retention_months)


def notice_text(team: Team) -> str:
    """The notice candidates of ``team`` read: its own, else the standard one."""
    return (team.privacy_notice or "").strip() or standard_notice(team)


def update_careers_settings(
    session: Session,
    team: Team,
    *,
    notice: str,
    questions: Iterable[str],
    actor: User | None,
) -> bool:
    """Save the privacy notice and the questions to ask; returns whether the notice's text
    changed, which makes a new version of it. Flushes."""
    notice = (notice or "").strip()
    changed = notice != (team.privacy_notice or "").strip()
    if changed:
        team.privacy_notice = notice
        team.privacy_notice_version = (team.privacy_notice_version or 1) + 1
    chosen = ",".join(key for key in QUESTIONS if key in set(questions))
    team.self_identification_questions = chosen
    session.flush()
    audit.record(
        session,
        team_id=team.id,
        actor=actor,
        action="team.careers_settings_changed",
        subject=team,
        notice_version=team.privacy_notice_version,
        questions=chosen,
    )
    return changed
