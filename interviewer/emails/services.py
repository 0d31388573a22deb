"""The team's email texts (edited or built in), composing a candidate's email from them, and
queueing it: :func:`queue_candidate_email` is the one way a feature emails a candidate."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application
from interviewer.candidates.portal_links import portal_url
from interviewer.db import in_team, utcnow
from interviewer.emails.kinds import kind_of
from interviewer.emails.models import CandidateEmailKind, EmailTemplate
from interviewer.emails.rendering import Rendered, TemplateProblem, check, render, render_subject
from interviewer.mail.models import MAX_SUBJECT, OutboxEmail
from interviewer.mail.outbox import queue_emails

logger = logging.getLogger(__name__)

K = CandidateEmailKind


def plain_lines(text: str) -> str:
    """``text`` with the ``\r\n`` a browser sends from a text box as plain ``\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def reasons_of(kind: CandidateEmailKind, team_id: int) -> tuple[str, ...]:
    """The reasons a team keeps a text of ``kind`` for: a rejection's exit reasons, else none."""
    return pipeline.reject_reasons(team_id) if kind is K.REJECTION else ()


def team_texts(session: Session, team_id: int, *options) -> dict[tuple[K, str], EmailTemplate]:
    """Every text the team edited, by (kind, reason), loaded with ``options``."""
    rows = session.scalars(in_team(EmailTemplate, team_id).options(*options))
    return {(row.kind, row.reason): row for row in rows}


def edited_text(
    session: Session, team_id: int, kind: K | str, reason: str = ""
) -> EmailTemplate | None:
    """The team's own text of ``kind`` for ``reason`` ("" the kind's default), if edited."""
    return session.scalar(
        in_team(EmailTemplate, team_id).where(
            EmailTemplate.kind == K(kind), EmailTemplate.reason == reason
        )
    )


def _sources(session: Session, team_id: int, kind: K, reason: str) -> list[tuple[str, str]]:
    """The (subject, body) texts to try, best first: the reason's own text, the team's text
    of the kind, the built-in one."""
    wanted = [reason, ""] if reason else [""]
    rows = {
        row.reason: row
        for row in session.scalars(
            in_team(EmailTemplate, team_id).where(
                EmailTemplate.kind == kind, EmailTemplate.reason.in_(wanted)
            )
        )
    }
    found = [(rows[key].subject, rows[key].body) for key in wanted if key in rows]
    return [*found, (kind_of(kind).subject, kind_of(kind).body)]


def current_text(
    session: Session, team_id: int, kind: K | str, reason: str = ""
) -> tuple[str, str]:
    """The (subject, body) that applies now to ``kind`` for ``reason``: the reason's own text,
    else the team's text of the kind, else the built-in one."""
    return _sources(session, team_id, K(kind), reason)[0]


def render_text(kind: K | str, subject: str, body: str, values: dict) -> Rendered:
    """``subject`` and ``body`` rendered with ``values`` (the kind's variables not given are
    empty); raises ``TemplateProblem``."""
    spec = kind_of(kind)
    full = {v.name: False if isinstance(v.demo, bool) else "" for v in spec.variables}
    full.update({name: value for name, value in values.items() if name in spec.names})
    return Rendered(render_subject(subject, full)[:MAX_SUBJECT], render(body, full))


def compose(
    session: Session, team_id: int, kind: K | str, values: dict, *, reason: str = ""
) -> Rendered:
    """The email of ``kind`` (for rejection ``reason``) with ``values``, from the team's text;
    a text that fails to render falls back to the next one, down to the built-in text, so a
    broken template never stops the action that sends it."""
    kind = K(kind)
    # A reason the team does not have (unchecked input on a form) has no text of its own.
    reason = reason if reason in reasons_of(kind, team_id) else ""
    sources = _sources(session, team_id, kind, reason)
    for subject, body in sources[:-1]:
        try:
            return render_text(kind, subject, body, values)
        except TemplateProblem as problem:
            logger.warning("Team %s's %s email cannot be rendered: %s", team_id, kind, problem)
    return render_text(kind, *sources[-1], values)


def _portal_link(application: Application) -> str:
    try:
        return portal_url(application, external=True) or ""
    except RuntimeError:  # no request and no SERVER_NAME: an address cannot be made
        return ""


def candidate_values(application: Application, portal_link: str | None = None) -> dict:
    """The variables every candidate email has, for ``application``."""
    name = application.candidate.name.strip()
    return {
        "candidate_name": name,
        "first_name": name.split()[0] if name else "",
        "job_title": application.job.title,
        "team_name": application.team.public_name,
        "portal_link": _portal_link(application) if portal_link is None else portal_link,
    }


def candidate_email(
    session: Session, application: Application, kind: K | str, *, reason: str = "", **values
) -> Rendered:
    """The email of ``kind`` that ``application``'s candidate would get, rendered for them."""
    full = candidate_values(application, values.pop("portal_link", None)) | values
    return compose(session, application.team_id, kind, full, reason=reason)


def queue_candidate_email(
    session: Session,
    application: Application,
    kind: K | str,
    *,
    reason: str = "",
    subject: str | None = None,
    body: str | None = None,
    ics: bytes | str = "",
    method: str = "",
    interview_id: int | None = None,
    now: datetime | None = None,
    **values,
) -> OutboxEmail | None:
    """Queue the candidate's email of ``kind`` in the caller's transaction (the outbox sends
    it once); ``None`` when the candidate has no email address.

    The text is the team's for ``kind`` (a rejection's for ``reason`` first), rendered with
    the application's variables and ``values``; ``subject`` and ``body``, when given, are
    sent instead, as written (a manager's edit for this one candidate). ``ics`` and
    ``method`` attach a calendar file.
    """
    person = application.candidate
    # An erased candidate's address is a placeholder: nothing may reach them any more.
    if person.is_erased or not (person.email or "").strip():
        return None
    rendered = candidate_email(session, application, kind, reason=reason, **values)
    if subject is not None and body is not None and (subject.strip() or body.strip()):
        rendered = Rendered(" ".join(subject.split())[:MAX_SUBJECT], plain_lines(body))
    email = OutboxEmail(
        team_id=application.team_id,
        interview_id=interview_id,
        to_email=person.email,
        to_name=person.name,
        subject=rendered.subject,
        body=rendered.body,
        ics=ics.decode() if isinstance(ics, bytes) else ics,
        method=method,
        created_at=now or utcnow(),
        # The candidate hears from the team, under the name it shows them.
        from_name=application.team.public_name,
    )
    return queue_emails(session, [email])[0]


# Editing -------------------------------------------------------------------------------------


def problems(kind: K | str, subject: str, body: str) -> dict[str, str]:
    """What is wrong with a text, by field (``subject``, ``body``); empty when it can be saved.

    Each part is parsed, checked to read only the kind's variables, and rendered on the demo
    values, which catches what only shows when it runs (an attribute the sandbox refuses).
    """
    spec = kind_of(kind)
    found = {}
    for field, source in (("subject", subject), ("body", body)):
        try:
            check(source, spec.names)
            render(source, spec.demo_values())
        except TemplateProblem as problem:
            found[field] = str(problem)
    return found


def save_text(
    session: Session,
    team_id: int,
    kind: K | str,
    reason: str,
    *,
    subject: str,
    body: str,
    actor: User | None,
) -> EmailTemplate:
    """Keep the team's text of ``kind`` for ``reason``; raises ``TemplateProblem`` for a text
    that cannot be used (call :func:`problems` first to show every message)."""
    kind = K(kind)
    found = problems(kind, subject, body)
    if found:
        raise TemplateProblem("; ".join(found.values()))
    row = edited_text(session, team_id, kind, reason)
    if row is None:
        row = EmailTemplate(team_id=team_id, kind=kind, reason=reason)
        session.add(row)
    row.subject, row.body, row.updated_by = subject.strip(), plain_lines(body), actor
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        team_id=team_id,
        actor=actor,
        action="email_template.saved",
        subject=row,
        kind=kind.value,
        reason=reason,
    )
    session.flush()
    return row


def reset_text(session: Session, row: EmailTemplate, *, actor: User | None) -> None:
    """Drop the team's text: the built-in default (or for a reason, the rejection text)
    applies again."""
    audit.record(
        session,
        team_id=row.team_id,
        actor=actor,
        action="email_template.reset",
        subject=row,
        kind=row.kind.value,
        reason=row.reason,
    )
    session.delete(row)
    session.flush()


def is_known_reason(kind: K, reason: str, team_id: int) -> bool:
    return reason == "" or reason in reasons_of(kind, team_id)
