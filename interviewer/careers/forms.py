"""The apply form of a public posting."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from interviewer.auth.models import Team
from interviewer.candidates.forms import COMMON_ZONES, _web_links, timezone_choices
from interviewer.candidates.self_identification import QUESTIONS, asked_questions
from interviewer.forms import BaseForm, strip

#: What the CV field asks for, and what the form says when it comes back with an error.
CV_HINT = "PDF, Word (DOCX) or OpenDocument (ODT), up to 10 MB."
CHOOSE_CV_AGAIN = (
    "Choose your CV again: for your safety, a browser never keeps a chosen file when a form "
    "comes back with a problem."
)


class ApplyForm(BaseForm):
    """A candidate's application: who they are, their CV and their consent; the questions of
    self-identification the team asks are kept, the others removed (:func:`apply_form`)."""

    name = StringField(
        "Full name",
        filters=[strip],
        validators=[DataRequired(message="Enter your name."), Length(max=160)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "Email",
        filters=[strip],
        description="We send your private link to follow the application here.",
        validators=[
            DataRequired(message="Enter your email address."),
            Email(message="Enter an email address such as name@example.com."),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = StringField(
        "Phone (optional)",
        filters=[strip],
        validators=[Length(max=40)],
        render_kw={"autocomplete": "tel"},
    )
    links = TextAreaField(
        "Links (optional)",
        description="One per line: profile, portfolio, code.",
        validators=[Length(max=2000), _web_links],
        render_kw={"rows": 2},
    )
    cv = FileField(
        "CV",
        description=CV_HINT,
        validators=[FileRequired(message=f"Choose your CV: {CV_HINT}")],
        render_kw={"accept": ".pdf,.docx,.odt,application/pdf"},
    )
    cover_note = TextAreaField(
        "Note (optional)",
        description="Anything you would like us to know.",
        validators=[Length(max=5000)],
        render_kw={"rows": 4},
    )
    timezone = SelectField(
        "Your time zone",
        description="Interview times are shown to you in it.",
        choices=[],
        validate_choice=True,
    )
    gender = SelectField(QUESTIONS["gender"].label, validators=[Optional()])
    ethnicity = SelectField(QUESTIONS["ethnicity"].label, validators=[Optional()])
    disability = SelectField(QUESTIONS["disability"].label, validators=[Optional()])
    veteran = SelectField(QUESTIONS["veteran"].label, validators=[Optional()])
    consent = BooleanField(
        "I have read the privacy notice and agree to it",
        validators=[
            DataRequired(
                message="Tick the box to agree to the privacy notice: we cannot take an "
                "application without it."
            )
        ],
    )
    #: Left empty by people, who never see it; bots fill every field they find.
    website = StringField(
        "Leave this field empty",
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )
    #: When the form was shown, signed (:mod:`interviewer.careers.spam`).
    started = HiddenField()

    def self_identification(self) -> dict[str, str | None]:
        """The answers given, by question key (blank: ``None``)."""
        return {key: (getattr(self, key).data or None) for key in QUESTIONS if key in self}


def apply_form(team: Team, **kwargs) -> ApplyForm:
    """The apply form for ``team``: its zone preselected, its own questions only."""
    form = ApplyForm(**kwargs)
    choices = timezone_choices(team.timezone)
    choices.pop(None)
    if team.timezone not in COMMON_ZONES:
        choices["Common zones"].insert(0, (team.timezone, team.timezone.replace("_", " ")))
    form.timezone.choices = choices
    if not form.timezone.data:
        form.timezone.data = team.timezone
    asked = {question.key for question in asked_questions(team)}
    for key, question in QUESTIONS.items():
        if key not in asked:
            delattr(form, key)
            continue
        getattr(form, key).choices = [("", "Choose, if you wish…")] + [
            (answer, answer) for answer in question.answers
        ]
    return form
