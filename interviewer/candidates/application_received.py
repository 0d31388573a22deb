"""The "application received" email, with the candidate's private portal link.

Its wording lives in this one function, queued in the outbox in the same transaction as the
application: when the mail server is down, the application is saved and the email waits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from interviewer.candidates.models import Application
from interviewer.candidates.portal_links import portal_url
from interviewer.mail.models import MAX_SUBJECT, OutboxEmail
from interviewer.mail.outbox import queue_emails


def _first_name(name: str) -> str:
    return (name.split() or [name])[0]


def queue_application_received(session: Session, application: Application) -> OutboxEmail:
    """Queue the email telling the candidate their application arrived, with their private
    link to follow it; flushes, the caller commits."""
    candidate, job, team = application.candidate, application.job, application.team
    link = portal_url(application, external=True)
    lines = [
        f"Hello {_first_name(candidate.name)},",
        "",
        f"Thank you for applying to {job.title} at {team.name}. We have received your "
        "application and will review it carefully.",
        "",
    ]
    if link:
        lines += [
            "Follow your application, see every step of our interview process and what to "
            "expect, on your private page (no account needed; keep the link to yourself):",
            link,
            "",
        ]
    lines += [
        "We will be in touch about the next step. You do not need to reply to this email.",
        "",
        f"{team.name} hiring team",
    ]
    subject = f"We received your application: {job.title} at {team.name}"
    (email,) = queue_emails(
        session,
        [
            OutboxEmail(
                team_id=application.team_id,
                to_email=candidate.email,
                to_name=candidate.name,
                subject=subject[:MAX_SUBJECT],
                body="\n".join(lines),
            )
        ],
    )
    return email
