"""The webhook forms: an endpoint's address, description and events; the one-button actions."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField, StringField, URLField, widgets
from wtforms.validators import DataRequired, Length

from interviewer.forms import BaseForm, strip
from interviewer.webhooks.models import EVENTS, MAX_URL


class EventsField(SelectMultipleField):
    """The events as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class EndpointForm(BaseForm):
    url = URLField(
        "Endpoint URL",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the address that receives the events."),
            Length(max=MAX_URL),
        ],
        description="An https address on the public internet, such as https://hooks.example.com/interviewer.",
    )
    description = StringField("Description", filters=[strip], validators=[Length(max=200)])
    events = EventsField(
        "Events",
        choices=[SelectChoice(event, event) for event in EVENTS],
        # Checked by the service, which keeps only the events it knows.
        validate_choice=False,
        default=list(EVENTS),
    )


class ActionForm(BaseForm):
    """A button (turn on or off, delete, roll the secret, redeliver): the CSRF token only."""
