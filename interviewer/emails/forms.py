"""The form that edits one of the team's email texts."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from interviewer.forms import BaseForm, strip
from interviewer.mail.models import MAX_SUBJECT

#: Longest email text a team may keep.
MAX_BODY = 20_000


class EmailTemplateForm(BaseForm):
    subject = StringField(
        "Subject",
        filters=[strip],
        validators=[DataRequired(message="Write a subject."), Length(max=MAX_SUBJECT)],
    )
    body = TextAreaField(
        "Email text",
        validators=[DataRequired(message="Write the email."), Length(max=MAX_BODY)],
        render_kw={"rows": 16, "spellcheck": "true"},
    )
    preview = SubmitField("Preview")
    save = SubmitField("Save")
