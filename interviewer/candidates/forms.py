"""Forms for candidates, applications and moves."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, ValidationError

from interviewer.candidates.pipeline import Move
from interviewer.forms import BaseForm, field_data, strip
from interviewer.plans.models import Job
from interviewer.timezones import is_zone, timezone_names

#: Zones offered first, one or two per populated UTC offset (the portal offers the same).
COMMON_ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Halifax",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Azores",
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Africa/Lagos",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Europe/Athens",
    "Europe/Kyiv",
    "Europe/Istanbul",
    "Africa/Nairobi",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Manila",
    "Australia/Perth",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@cache
def _other_zones() -> tuple[str, ...]:
    """Every other IANA ``Region/City`` zone, sorted."""
    common = set(COMMON_ZONES)
    return tuple(name for name in timezone_names() if name != "UTC" and name not in common)


def _zone_label(name: str) -> str:
    return name.replace("_", " ")


def timezone_choices(team_zone: str, current: str | None = None) -> dict[str | None, list]:
    """The time zone select: blank (the team's zone), the common zones, then all the others.

    ``current`` (the saved zone) stays offered even when it is not in the lists, so editing
    other details never fails on it.
    """
    common = [(name, _zone_label(name)) for name in sorted(COMMON_ZONES)]
    others = [(name, _zone_label(name)) for name in _other_zones()]
    if current and is_zone(current) and current not in COMMON_ZONES + _other_zones():
        common.insert(0, (current, _zone_label(current)))
    return {
        None: [("", f"The team's zone ({_zone_label(team_zone or 'UTC')})")],
        "Common zones": common,
        "All zones": others,
    }


def _web_links(form: BaseForm, field: TextAreaField) -> None:
    """Each line must be an http(s) address: anything else would be a risky link."""
    for line in (field.data or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(f"“{line}” is not a web address; start it with https://.")


class CandidateForm(BaseForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired(message="Enter the candidate’s name."), Length(max=160)],
    )
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the candidate’s email address."),
            Email(),
            Length(max=254),
        ],
    )
    phone = StringField("Phone", filters=[strip], validators=[Length(max=40)])
    links = TextAreaField(
        "Links",
        description="One per line: profile, portfolio, code.",
        validators=[Length(max=2000), _web_links],
        render_kw={"rows": 3},
    )
    source = SelectField(
        "Source",
        description="Where they came from (the team's list).",
        choices=[],
        filters=[lambda value: value or ""],
        validate_choice=True,
    )
    timezone = SelectField(
        "Time zone",
        description="Where they live: their portal and emails show times in it.",
        choices=[],
        filters=[lambda value: value or ""],
        validate_choice=True,
    )
    notes = TextAreaField("Notes", validators=[Length(max=5000)], render_kw={"rows": 3})

    def set_source_choices(self, choices: list[tuple[str, str]]) -> None:
        """Offer the team's sources (``sources.source_choices``)."""
        self.source.choices = choices

    def set_timezone_choices(self, team_zone: str, current: str | None = None) -> None:
        """Offer the zones; a blank choice means the team's zone."""
        self.timezone.choices = timezone_choices(team_zone, current)

    def candidate_data(self) -> dict[str, str | None]:
        """The candidate's fields as plain values for the services (no zone: ``None``)."""
        data: dict[str, str | None] = {
            name: getattr(self, name).data or ""
            for name in ("name", "email", "phone", "links", "source", "notes")
        }
        data["timezone"] = self.timezone.data or None
        return data


def job_choices(jobs: list[Job], blank: str | None = None) -> list[tuple[str, str]]:
    """``(id, "Title (status)")`` for a job select, optionally after a blank choice."""
    choices = [("", blank)] if blank is not None else []
    return choices + [(str(job.id), f"{job.title} ({job.status.value})") for job in jobs]


class NewCandidateForm(CandidateForm):
    job = SelectField("Apply to job", choices=[], validate_choice=True)


class ApplyForm(BaseForm):
    job = SelectField("Job", choices=[], validators=[DataRequired(message="Choose a job.")])


class MoveForm(BaseForm):
    """A move without a reason: a button and an optional note."""

    #: Where to go back to afterwards (a path on this site).
    next = HiddenField()
    note = TextAreaField("Note", validators=[Length(max=2000)], render_kw={"rows": 2})

    def choices(self) -> dict:
        """What the person chose, as ``scheduling.closing.make_move`` takes it: ``None``
        for what this move's form does not ask."""
        emails = hasattr(self, "email_action")
        return {
            "reason": field_data(self, "reason"),
            "note": self.note.data,
            "cancel_interviews": field_data(self, "cancel_interviews"),
            "email_action": self.chosen_email_action() if emails else None,
            "email_subject": field_data(self, "email_subject") or "",
            "email_body": field_data(self, "email_body") or "",
        }


class BackForm(MoveForm):
    reason = StringField(
        "Why back?",
        filters=[strip],
        validators=[DataRequired(message="Say why the application moves back."), Length(max=120)],
    )


class ReasonListForm(MoveForm):
    reason = SelectField(
        "Reason", choices=[], validators=[DataRequired(message="Choose a reason from the list.")]
    )


#: The label of the box that cancels a closing application's interviews still to come.
CANCEL_INTERVIEWS_LABEL = "Cancel their remaining interviews"


#: What the manager does with the email a move or a decision sends the candidate.
EMAIL_ACTIONS = [
    SelectChoice("send", "Send this email"),
    SelectChoice("edit", "Edit it for this candidate, then send"),
    SelectChoice("none", "Don't send an email"),
]


class CandidateEmailForm(BaseForm):
    """The candidate’s email that goes with a move or a decision: send the team's text as it
    is, send it as edited here for this one candidate, or send nothing."""

    email_action = RadioField(
        "Email to the candidate", choices=EMAIL_ACTIONS, default="send", validate_choice=True
    )
    email_subject = StringField(
        "Subject", filters=[strip], validators=[Length(max=255)], render_kw={"maxlength": 255}
    )
    email_body = TextAreaField("Email text", validators=[Length(max=20000)], render_kw={"rows": 10})
    #: Shows the email for the reason chosen, without making the move (pages without scripts).
    preview_email = SubmitField("Preview email")

    def chosen_email_action(self) -> str:
        """``send``, ``edit`` or ``none``: a post without the choice (not sent by the page,
        which always has one ticked) sends no email rather than a surprise."""
        return self.email_action.data if self.email_action.raw_data else "none"

    def prefill_email(self, subject: str, body: str) -> None:
        """Fill the edit fields with the email that would go, unless the manager is editing."""
        editing = self.email_action.data == "edit"
        if not editing or not (self.email_subject.data or self.email_body.data):
            self.email_subject.data, self.email_body.data = subject, body

    def validate_email_body(self, field: TextAreaField) -> None:
        if self.email_action.data == "edit" and not (
            (self.email_subject.data or "").strip() and (field.data or "").strip()
        ):
            raise ValidationError(
                "Write the subject and the text, or choose to send the email as it is."
            )


class AdvanceForm(MoveForm, CandidateEmailForm):
    """Moving an application on: the note, and the "moved to the next stage" email."""


class CloseForm(ReasonListForm, CandidateEmailForm):
    """Rejecting or withdrawing: a reason, whether to cancel the interviews still to come
    (ticked by default; a page shows the box only when there are some), and the email."""

    cancel_interviews = BooleanField(CANCEL_INTERVIEWS_LABEL, default=True)


def move_form(move: Move, reasons: tuple[str, ...] | None, **kwargs) -> MoveForm:
    """The form for ``move``: a reason field when the move needs one."""
    if move is Move.BACK:
        return BackForm(**kwargs)
    if move is Move.ADVANCE:
        return AdvanceForm(**kwargs)
    if reasons is None:
        return MoveForm(**kwargs)
    form_class = CloseForm if move in (Move.REJECT, Move.WITHDRAW) else ReasonListForm
    form = form_class(**kwargs)
    form.reason.choices = [("", "Choose a reason…")] + [(r, r) for r in reasons]
    return form
