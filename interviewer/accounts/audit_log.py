"""The audit log as an admin reads it: the team's events newest first, filtered by person, kind
and dates (days in the admin's time zone), each told in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import User
from interviewer.forms import FIRST_DATE, LAST_DATE, bounded_int
from interviewer.timezones import zone

#: The kinds of event, by group: its label, the action prefixes it covers (actions added
#: later fall in their group too) and each known action with what it says in the log. The
#: filter offers a whole group or one action.
KINDS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "accounts": (
        "Accounts",
        ("user.",),
        {
            "user.signed_in": "Signed in",
            "user.sign_in_failed": "Sign-in failed",
            "user.signed_out_everywhere": "Signed out everywhere",
            "user.password_changed": "Password changed",
            "user.password_reset": "Password reset by email",
            "user.two_factor_enabled": "Two-factor sign-in turned on",
            "user.two_factor_disabled": "Two-factor sign-in turned off",
            "user.two_factor_reset": "Two-factor sign-in turned off by an admin",
            "user.recovery_codes_regenerated": "New recovery codes made",
            "user.role_changed": "Role changed",
            "user.deactivated": "Deactivated",
            "user.reactivated": "Reactivated",
        },
    ),
    "invitations": (
        "Invitations",
        ("invitation.",),
        {
            "invitation.sent": "Invitation sent",
            "invitation.resent": "Invitation sent again",
            "invitation.revoked": "Invitation revoked",
            "invitation.accepted": "Invitation accepted",
        },
    ),
    "candidates": (
        "Candidates and applications",
        ("candidate.", "application.", "decision.", "candidate_source."),
        {
            "candidate.created": "Candidate added",
            "candidate.updated": "Candidate edited",
            "candidate.exported": "Candidate's data exported",
            "candidate.erased": "Candidate erased",
            "application.created": "Application added",
            "application.moved": "Application moved",
            "application.considered": "Considered for another job",
            "application.portal_link_renewed": "Portal link renewed",
            "application.windows_proposed": "Availability proposed by the candidate",
            "application.times_offered": "Times offered on the portal",
            "application.offer_withdrawn": "Offered times withdrawn",
            "application.offer_booked": "Offered time booked by the candidate",
            "candidate_source.created": "Candidate source added",
            "candidate_source.renamed": "Candidate source renamed",
            "candidate_source.archived": "Candidate source archived",
            "candidate_source.restored": "Candidate source restored",
            "decision.recorded": "Decision recorded",
        },
    ),
    "interviews": (
        "Interviews and scorecards",
        ("interview.", "scorecard."),
        {
            "interview.scheduled": "Interview scheduled",
            "interview.rescheduled": "Interview rescheduled",
            "interview.cancelled": "Interview cancelled",
            "scorecard.draft_saved": "Scorecard draft saved",
            "scorecard.submitted": "Scorecard submitted",
            "scorecard.amended": "Scorecard amended",
        },
    ),
    "jobs": (
        "Jobs and plans",
        ("job.", "plan.", "plan_stage.", "plan_template.", "kit_version.", "stage_type."),
        {
            "job.created": "Job created",
            "job.updated": "Job edited",
            "job.opened": "Job opened",
            "job.closed": "Job closed",
            "plan.copied": "Plan copied",
            "plan_stage.created": "Plan stage added",
            "plan_stage.updated": "Plan stage edited",
            "plan_stage.moved": "Plan stage moved",
            "plan_stage.deleted": "Plan stage deleted",
            "plan_template.created": "Plan template saved",
            "plan_template.applied": "Plan template applied",
            "plan_template.deleted": "Plan template deleted",
            "kit_version.created": "Interview kit written",
            "kit_version.updated": "Interview kit edited",
            "kit_version.used": "Interview kit fixed by its first interview",
            "stage_type.created": "Stage type added",
        },
    ),
    "catalog": (
        "Skills and levels",
        ("skill.", "level.", "expectations."),
        {
            "skill.created": "Skill added",
            "skill.updated": "Skill edited",
            "skill.deleted": "Skill deleted",
            "level.created": "Level added",
            "level.updated": "Level edited",
            "level.moved": "Level moved",
            "level.deleted": "Level deleted",
            "expectations.saved": "Competency matrix saved",
        },
    ),
    "team": (
        "Team and outbox",
        ("team.", "outbox_email.", "email_template."),
        {
            "team.plan_limit_changed": "Plan time limit changed",
            "team.two_factor_required": "Two-factor sign-in required of managers",
            "team.two_factor_optional": "Two-factor sign-in made optional",
            "team.blind_review_on": "Blind first review turned on",
            "team.blind_review_off": "Blind first review turned off",
            "team.retention_changed": "Candidate data retention changed",
            "team.scheduling_changed": "Scheduling settings changed",
            "outbox_email.retried": "Email sent again",
            "email_template.saved": "Candidate email text saved",
            "email_template.reset": "Candidate email text reset to its default",
        },
    ),
}
#: Every known action with its words.
ACTION_WORDS = {
    action: words for _, _, actions in KINDS.values() for action, words in actions.items()
}
#: What the log calls each kind of subject (its table).
SUBJECTS = {
    "user_account": "User",
    "email_template": "Candidate email",
    "invitation": "Invitation",
    "application": "Application",
    "candidate": "Candidate",
    "candidate_source": "Candidate source",
    "interview": "Interview",
    "scorecard": "Scorecard",
    "decision": "Decision",
    "job": "Job",
    "plan_stage": "Plan stage",
    "plan_template": "Plan template",
    "kit_version": "Kit version",
    "level": "Level",
    "skill": "Skill",
    "stage_type": "Stage type",
    "team": "Team",
    "outbox_email": "Email",
}
#: Actions done without a signed-in user that a candidate does (on the portal).
CANDIDATE_ACTIONS = {"application.windows_proposed"}
#: Events of someone not signed in (yet), whoever they are: the address is in the data.
VISITOR_ACTIONS = {"user.sign_in_failed", "user.password_reset_requested"}


def what(action: str) -> str:
    """The words for ``action``; an action the log does not know yet, made readable."""
    return ACTION_WORDS.get(action) or action.replace(".", ": ").replace("_", " ").capitalize()


def subject_label(subject_type: str) -> str:
    return SUBJECTS.get(subject_type) or subject_type.replace("_", " ").capitalize()


def who(event: AuditEvent, people: Mapping[int, User]) -> str:
    """The actor's name, or "Candidate", "Someone signed out" or "System" for an event
    without one."""
    if event.actor_id is None:
        if event.action in CANDIDATE_ACTIONS:
            return "Candidate"
        return "Someone signed out" if event.action in VISITOR_ACTIONS else "System"
    person = people.get(event.actor_id)
    return person.name if person is not None else f"User #{event.actor_id}"


def key_data(data: Mapping[str, Any] | None, limit: int = 6) -> list[tuple[str, str]]:
    """The event's data as short ``(name, value)`` pairs for a line of the log."""
    pairs = []
    shown = [(name, value) for name, value in (data or {}).items() if value not in (None, "")]
    for name, value in shown[:limit]:
        if isinstance(value, list | tuple):
            text = f"{len(value)} item{'s' if len(value) != 1 else ''}"
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in list(value.items())[:4])
        else:
            text = str(value)
        pairs.append((name.replace("_", " "), text if len(text) <= 80 else text[:79] + "…"))
    return pairs


@dataclass(frozen=True)
class Filters:
    """What the admin asked for: a person (``actor_id``, or 0 for the system and candidates),
    a kind (a group such as ``user`` or one action), and the first and last day."""

    actor_id: int | None = None
    kind: str = ""
    first_day: date | None = None
    last_day: date | None = None
    #: Dates that could not be read, to say so next to the filter.
    problems: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.actor_id is not None or self.kind or self.first_day or self.last_day)

    def as_args(self) -> dict[str, Any]:
        """The filters as query-string arguments (for the pagination's links)."""
        args: dict[str, Any] = {}
        if self.actor_id is not None:
            args["person"] = self.actor_id
        if self.kind:
            args["kind"] = self.kind
        if self.first_day:
            args["from"] = self.first_day.isoformat()
        if self.last_day:
            args["to"] = self.last_day.isoformat()
        return args


def _day(value: str | None, label: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"“{label}” is not a date: pick one, or type it as 2026-03-31.")
        return None
    if not FIRST_DATE <= day <= LAST_DATE:
        problems.append(f"“{label}” must fall between {FIRST_DATE.year} and {LAST_DATE.year}.")
        return None
    return day


def read_filters(args: Mapping[str, str]) -> Filters:
    """The filters in a query string; anything unreadable is left out (dates say why)."""
    problems: list[str] = []
    try:
        actor_id = bounded_int(args.get("person", ""))
    except ValueError:
        actor_id = None
    kind = args.get("kind", "")
    if kind not in KINDS and kind not in ACTION_WORDS:
        kind = ""
    first = _day(args.get("from"), "From", problems)
    last = _day(args.get("to"), "To", problems)
    if first and last and last < first:
        problems.append("“To” is before “From”: the dates were swapped.")
        first, last = last, first
    return Filters(actor_id, kind, first, last, tuple(problems))


def team_events(team_id: int, filters: Filters, tz: str | None) -> Select:
    """The team's audit events matching ``filters``, unordered (the page orders them newest
    first); days count in ``tz``."""
    query = select(AuditEvent).where(AuditEvent.team_id == team_id)
    if filters.actor_id == 0:
        query = query.where(AuditEvent.actor_id.is_(None))
    elif filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.kind in KINDS:
        prefixes = KINDS[filters.kind][1]
        query = query.where(
            or_(*(AuditEvent.action.startswith(prefix, autoescape=True) for prefix in prefixes))
        )
    elif filters.kind:
        query = query.where(AuditEvent.action == filters.kind)
    if filters.first_day:
        query = query.where(AuditEvent.created_at >= _start_of(filters.first_day, tz))
    if filters.last_day:
        next_day = filters.last_day + timedelta(days=1)
        query = query.where(AuditEvent.created_at < _start_of(next_day, tz))
    return query


def _start_of(day: date, tz: str | None) -> datetime:
    """The moment ``day`` begins in ``tz``."""
    return datetime.combine(day, time.min, zone(tz))


def team_people(session: Session, team_id: int) -> dict[int, User]:
    """The team's users by id: who acted, for the person filter and each line's "who"."""
    users = session.scalars(
        select(User).where(User.team_id == team_id).order_by(User.name, User.id)
    )
    return {user.id: user for user in users}
