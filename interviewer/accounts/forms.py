"""The forms of the accounts pages: inviting, accepting an invitation, changing a role."""

from __future__ import annotations

from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from interviewer.auth.forms import password_pair
from interviewer.auth.models import Role
from interviewer.forms import BaseForm, strip

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class InviteForm(BaseForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired(message="Enter the person’s name."), Length(max=120)],
    )
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired(message="Enter the email address to send the invitation to."),
            Email(),
            Length(max=254),
        ],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.INTERVIEWER.value)


class AcceptInvitationForm(BaseForm):
    """The invited person's first password, typed twice."""

    password, repeat = password_pair(
        "Choose a password",
        "Repeat the password",
        "12 characters or more; a few unusual words work well.",
        "Choose a password of 12 characters or more.",
        "Type the password again.",
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
