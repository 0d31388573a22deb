"""The token pages' forms: a new token's name, scopes and expiry; revoking is one button."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from wtforms import DateField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from interviewer.api import tokens
from interviewer.forms import BaseForm
from interviewer.timezones import zone


class ScopesField(SelectMultipleField):
    """The scopes, one checkbox each."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        offered = {value for value, _label in self.choices}
        refused = [scope for scope in self.data or () if scope not in offered]
        if refused:
            raise ValidationError(
                f"Your tokens cannot have the {', '.join(refused)} scope; choose among "
                f"{', '.join(sorted(offered))}."
            )


class TokenForm(BaseForm):
    """A new token: what it is for, what it may do, until when."""

    name = StringField(
        "Name",
        validators=[
            DataRequired(message="Name the token after what uses it, such as 'HRIS sync'."),
            Length(max=80, message="Keep the name under 80 characters."),
        ],
    )
    scopes = ScopesField(
        "Scopes",
        validators=[DataRequired(message="Choose at least one scope.")],
    )
    expires_on = DateField(
        "Expires on (optional)",
        validators=[Optional()],
        description="The token stops working at the end of that day; leave empty to keep "
        "it until it is revoked.",
    )

    def __init__(self, *args, allowed: tuple[str, ...], timezone: str | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scopes.choices = [(scope, tokens.SCOPE_LABELS[scope]) for scope in allowed]
        self._timezone = timezone

    def validate_expires_on(self, field: DateField) -> None:
        if field.data is not None and field.data <= date.today() - timedelta(days=1):
            raise ValidationError("Choose a date from today on, or leave it empty.")

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, in the person's time zone."""
        if self.expires_on.data is None:
            return None
        next_day = self.expires_on.data + timedelta(days=1)
        return datetime.combine(next_day, time(), tzinfo=zone(self._timezone))
