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
