"""Forms for booking interviews and for each user's availability and settings."""

from __future__ import annotations

from functools import cache

from markupsafe import Markup
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import Choice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from interviewer.forms import BaseForm, strip
from interviewer.scheduling.availability import EXCEPTION_KINDS, WEEKDAYS, timezone_names
from interviewer.scheduling.settings import DAILY_LIMIT_MAX
from interviewer.scheduling.settings_forms import HttpsLink


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _timezone_choices() -> list[tuple[str, str]]:
    return [SelectChoice(name, name.replace("_", " ")) for name in timezone_names()]


def _zone_option(name: str, selected: bool) -> str:
    return str(Select.render_option(Choice(name, name.replace("_", " "), selected, {})))


@cache
def _zone_options() -> str:
    """Every zone's ``<option>``, none chosen, rendered once per process."""
    return "".join(_zone_option(name, False) for name in timezone_names())


class ZoneSelect(Select):
    """The ``<select>`` of every zone (about 600) from options rendered once per process:
    rendering them per request cost tens of milliseconds. Only the chosen one is marked."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in dir(flags):
            if key in self.validation_attrs and key not in kwargs:
                kwargs[key] = getattr(flags, key)
        options = _zone_options()
        if field.data in timezone_names():
            chosen = _zone_option(field.data, False)
            options = options.replace(chosen, _zone_option(field.data, True), 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class ScheduleForm(BaseForm):
    """Date, start and zone of an interview, where it happens and who interviews."""

    starts_on = DateField("Date", validators=[DataRequired(message="Choose the date.")])
    start_time = TimeField("Start time", validators=[DataRequired(message="Choose the time.")])
    timezone = SelectField(
        "Time zone",
        validators=[DataRequired(message="Choose the time zone.")],
        description="The date and start time are in this zone.",
        widget=ZoneSelect(),
    )
    location = StringField("Location", filters=[strip], validators=[Optional(), Length(max=200)])
    video_url = URLField(
        "Video link",
        filters=[strip],
        validators=[Optional(), URL(message="Enter a full link (https://...)."), Length(max=500)],
    )
    panel = MultiCheckboxField("Interviewers", coerce=int)
    #: The start (UTC, ISO) that the manager confirmed although it falls outside the
    #: candidate's hours; any other start asks again.
    confirm_hours = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()
        #: The warning shown while the booking waits for that confirmation.
        self.confirmation = None

    def chosen_zone(self, fallback: str) -> str:
        """The zone the date and time were typed in; ``fallback`` when none valid was sent."""
        return self.timezone.data if self.timezone.data in timezone_names() else fallback

    def confirmed(self, starts_at) -> bool:
        """True when the manager confirmed ``starts_at`` outside the candidate's hours."""
        return bool(self.confirm_hours.data) and self.confirm_hours.data == starts_at.isoformat()


class RescheduleForm(ScheduleForm):
    reason = TextAreaField(
        "Reason",
        filters=[strip],
        validators=[DataRequired(message="Say why the interview moves."), Length(max=500)],
        description="Kept in the history of the interview.",
    )


class BookSlotForm(BaseForm):
    """A suggested slot picked on the scheduling page, with the location typed there."""

    slot = StringField(validators=[DataRequired(message="Choose one of the times offered.")])
    location = StringField(filters=[strip], validators=[Optional(), Length(max=200)])
    video_url = URLField(filters=[strip], validators=[Optional(), URL(), Length(max=500)])


class CancelForm(BaseForm):
    reason = TextAreaField(
        "Reason",
        filters=[strip],
        validators=[DataRequired(message="Say why the interview is cancelled."), Length(max=500)],
        description="Kept on the interview and in its history.",
    )


class WindowForm(BaseForm):
    """A weekly window in the user's own time zone."""

    weekday = SelectField(
        "Day",
        choices=[SelectChoice(index, name) for index, name in enumerate(WEEKDAYS)],
        coerce=int,
        validators=[InputRequired(message="Choose the day.")],
    )
    start_time = TimeField("From", validators=[DataRequired(message="Give the start time.")])
    end_time = TimeField("Until", validators=[DataRequired(message="Give the end time.")])


class ExceptionForm(BaseForm):
    """A date on which the weekly windows do not apply as they are."""

    on_date = DateField("Date", validators=[DataRequired(message="Choose the date.")])
    kind = SelectField(
        "What",
        choices=[SelectChoice(key, label) for key, label in EXCEPTION_KINDS.items()],
        description="Away or extra hours need the times below.",
    )
    start_time = TimeField("From", validators=[Optional()])
    end_time = TimeField("Until", validators=[Optional()])
    note = StringField(
        "Note",
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description="Optional, e.g. “Conference”.",
    )


class SettingsForm(BaseForm):
    timezone = SelectField(
        "Time zone",
        validators=[DataRequired(message="Choose your time zone.")],
        description="Your availability and every time you see are in this zone.",
    )
    weekly_limit = IntegerField(
        "Most interviews per week",
        validators=[Optional(), NumberRange(min=0, max=50, message="Use a number from 0 to 50.")],
        description="Leave empty for no limit.",
    )
    daily_limit = IntegerField(
        "Most interviews per day",
        validators=[
            Optional(),
            NumberRange(
                min=0, max=DAILY_LIMIT_MAX, message=f"Use a number from 0 to {DAILY_LIMIT_MAX}."
            ),
        ],
        description="A day as your time zone counts it. Leave empty for no limit.",
    )
    video_link = URLField(
        "Your own meeting link",
        filters=[strip],
        validators=[Optional(), HttpsLink()],
        description="A fixed https link (your personal meeting room) used for your "
        "interviews instead of a fresh room. Leave empty to use the team's rooms.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezone_choices()
