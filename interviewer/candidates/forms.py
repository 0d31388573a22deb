"""Forms for candidates, applications and moves."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from interviewer.candidates.pipeline import Move
from interviewer.forms import strip
from interviewer.plans.models import Job


def _web_links(form: FlaskForm, field: TextAreaField) -> None:
    """Each line must be an http(s) address: anything else would be a risky link."""
    for line in (field.data or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(f"“{line}” is not a web address; start it with https://.")


class CandidateForm(FlaskForm):
    name = StringField("Name", filters=[strip], validators=[DataRequired(), Length(max=160)])
    email = EmailField(
        "Email", filters=[strip], validators=[DataRequired(), Email(), Length(max=254)]
    )
    phone = StringField("Phone", filters=[strip], validators=[Length(max=40)])
    links = TextAreaField(
        "Links",
        description="One per line: profile, portfolio, code.",
        validators=[Length(max=2000), _web_links],
        render_kw={"rows": 3},
    )
    source = StringField(
        "Source",
        filters=[strip],
        description="Where they came from, e.g. Referral, Careers page.",
        validators=[Length(max=80)],
    )
    notes = TextAreaField("Notes", validators=[Length(max=5000)], render_kw={"rows": 3})

    def candidate_data(self) -> dict[str, str]:
        """The candidate's fields as plain values for the services."""
        return {
            name: getattr(self, name).data or ""
            for name in ("name", "email", "phone", "links", "source", "notes")
        }


def job_choices(jobs: list[Job], blank: str | None = None) -> list[tuple[str, str]]:
    """``(id, "Title (status)")`` for a job select, optionally after a blank choice."""
    choices = [("", blank)] if blank is not None else []
    return choices + [(str(job.id), f"{job.title} ({job.status.value})") for job in jobs]


class NewCandidateForm(CandidateForm):
    job = SelectField("Apply to job", choices=[], validate_choice=True)


class ApplyForm(FlaskForm):
    job = SelectField("Job", choices=[], validators=[DataRequired(message="Choose a job.")])


class MoveForm(FlaskForm):
    """A move without a reason: a button and an optional note."""

    #: Where to go back to afterwards (a path on this site).
    next = HiddenField()
    note = TextAreaField("Note", validators=[Length(max=2000)], render_kw={"rows": 2})


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


def move_form(move: Move, reasons: tuple[str, ...] | None, **kwargs) -> MoveForm:
    """The form for ``move``: a reason field when the move needs one."""
    if move is Move.BACK:
        return BackForm(**kwargs)
    if reasons is None:
        return MoveForm(**kwargs)
    form = ReasonListForm(**kwargs)
    form.reason.choices = [("", "Choose a reason…")] + [(r, r) for r in reasons]
    return form
