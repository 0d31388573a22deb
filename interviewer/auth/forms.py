from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length

from interviewer.forms import BaseForm, strip


class LoginForm(BaseForm):
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired(message="Type your email address."), Email()],
    )
    password = PasswordField("Password", validators=[DataRequired(message="Type your password.")])
    remember = BooleanField("Keep me signed in")
    next = HiddenField()


def password_pair(
    label: str, repeat_label: str, description: str, missing: str, missing_again: str
):
    """A password field and its repeat, for a form class to unpack: every form that sets a
    password checks the two alike and words a mismatch the same way."""
    password = PasswordField(
        label, validators=[DataRequired(message=missing)], description=description
    )
    repeat = PasswordField(
        repeat_label,
        validators=[
            DataRequired(message=missing_again),
            EqualTo("password", message="The two passwords differ. Type the same one twice."),
        ],
    )
    return password, repeat


class NewPasswordForm(BaseForm):
    """A new password typed twice; the rules are checked by the service, which knows the
    person (their name and email count as guessable words)."""

    password, repeat = password_pair(
        "New password",
        "Repeat the new password",
        "At least 12 characters. A few unusual words work well.",
        "Type the new password.",
        "Type the new password again.",
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


class TwoFactorLoginForm(BaseForm):
    code = StringField(
        "Code",
        filters=[strip],
        validators=[DataRequired(message="Type the 6-digit code from your app."), Length(max=40)],
        description="The 6-digit code your authenticator app shows, or one of your recovery codes.",
    )
    next = HiddenField()


class TwoFactorConfirmForm(BaseForm):
    code = StringField(
        "6-digit code from your app",
        filters=[strip],
        validators=[DataRequired(message="Type the 6-digit code your app shows."), Length(max=40)],
    )


class TwoFactorDisableForm(BaseForm):
    proof = PasswordField(
        "Your password or a current code",
        validators=[DataRequired(message="Type your password or a code from your app.")],
    )


class RecoveryCodesForm(BaseForm):
    code = StringField(
        "A current code from your app",
        filters=[strip],
        validators=[DataRequired(message="Type the 6-digit code your app shows."), Length(max=40)],
    )


class TeamTwoFactorForm(BaseForm):
    required = BooleanField("Require two-factor sign-in for admins and hiring managers")
