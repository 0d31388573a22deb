from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
)
from wtforms.validators import DataRequired, Email

from interviewer.forms import BaseForm, strip


class LoginForm(BaseForm):
    email = EmailField("Email", filters=[strip], validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in")
    next = HiddenField()


class EmptyForm(BaseForm):
    """A one-button action: only the CSRF token."""
