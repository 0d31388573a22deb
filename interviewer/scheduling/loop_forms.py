"""The forms of the "Schedule the rest" page: which stages and zone (a GET form, so its values
are an address), and the loop option to book (a POST with CSRF)."""

from __future__ import annotations

from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Length

from interviewer.forms import BaseForm
from interviewer.scheduling.forms import MultiCheckboxField, _timezone_choices


class LoopChoiceForm(BaseForm):
    """The stages to schedule together and the zone to read the times in."""

    class Meta:
        csrf = False

    stage = MultiCheckboxField("Stages to schedule", coerce=int)
    zone = SelectField("Show times in")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone.choices = _timezone_choices()


class BookLoopForm(BaseForm):
    """One option, as ``stage|start|panel ids`` per stage joined by ``;``, and the page's
    choices, to offer fresh options if it cannot be booked any more."""

    loop = HiddenField(
        validators=[DataRequired(message="Choose one of the loops offered."), Length(max=2000)]
    )
    stages = HiddenField(validators=[Length(max=500)])
    zone = HiddenField(validators=[Length(max=64)])
    #: The page to return to once booked (a path of this site; else the home page).
    back = HiddenField(validators=[Length(max=300)])
