"""The forms of the candidate data pages: the retention period and the erasure's confirmation."""

from __future__ import annotations

from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, NumberRange

from interviewer.forms import BaseForm

#: The retention periods a team may choose, in months.
RETENTION_MONTHS = (1, 120)


class RetentionForm(BaseForm):
    retention_months = IntegerField(
        "Keep a candidate's data for (months after their last application closed)",
        validators=[
            InputRequired("Enter a number of months."),
            NumberRange(
                *RETENTION_MONTHS,
                message="Enter between {} and {} months.".format(*RETENTION_MONTHS),
            ),
        ],
        render_kw={"min": RETENTION_MONTHS[0], "max": RETENTION_MONTHS[1], "inputmode": "numeric"},
        description="Then the candidate is anonymised: name, contact details and every "
        "free text about them go; ratings, stages and dates stay.",
    )


class EraseForm(BaseForm):
    confirmation = StringField(
        "Type the candidate's name to confirm",
        validators=[InputRequired("Type the candidate's name to confirm.")],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def confirms(self, name: str) -> bool:
        """Whether the typed text is ``name`` (case and spaces aside); says why when not."""
        typed = " ".join((self.confirmation.data or "").split()).casefold()
        if typed == " ".join(name.split()).casefold():
            return True
        self.confirmation.errors.append(
            "That is not the candidate's name as it is shown above; type it exactly."
        )
        return False
