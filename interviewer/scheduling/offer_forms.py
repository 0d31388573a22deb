"""The manager's form that offers times on the portal."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from interviewer.forms import BaseForm


class OfferTimesForm(BaseForm):
    """The suggested times (single slots and whole loops) ticked to offer, as encoded items."""

    # The suggestions move as time passes: a ticked value is read and checked, not matched
    # against the list the page showed.
    options = SelectMultipleField(
        "Times to offer",
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
