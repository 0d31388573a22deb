from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length

from interviewer.forms import BaseForm, strip


class LoginForm(BaseForm):
    email = EmailField("Email", filters=[strip], validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in")
    next = HiddenField()


class NewPasswordForm(BaseForm):
    """A new password typed twice; the rules are checked by the service, which knows the
    person (their name and email count as guessable words)."""

    password = PasswordField(
        "New password",
        validators=[DataRequired(message="Type the new password.")],
        description="At least 12 characters. A few unusual words work well.",
    )
    repeat = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired(message="Type the new password again."),
            EqualTo("password", message="The two passwords differ. Type the same one twice."),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Current password", validators=[DataRequired(message="Type your current password.")]
    )


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired(message="Type the email address you sign in with."),
            Email(message="Type a whole email address, such as ada@example.com."),
            Length(max=254),
        ],
    )


class EmptyForm(BaseForm):
    """A one-button action: only the CSRF token."""
