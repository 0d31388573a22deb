"""Forms of the team's candidate settings: its source list and blind first review."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from interviewer.candidates.sources import MAX_NAME
from interviewer.forms import BaseForm, strip


class SourceForm(BaseForm):
    """Adding a source, or renaming one."""

    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            DataRequired(message="Give the source a name."),
            Length(max=MAX_NAME, message=f"Keep the name within {MAX_NAME} characters."),
        ],
    )


class MoveSourceForm(BaseForm):
    """One of the list's up and down buttons."""

    direction = HiddenField(validators=[AnyOf(("up", "down"))])


class BlindReviewForm(BaseForm):
    enabled = BooleanField(
        "Review screens blind",
        description=(
            "Interviewers of a screen stage see “Candidate 4821” instead of the name, email, "
            "phone, photo and links; the CV and answers stay."
        ),
    )
