"""The branding settings' forms: name and colour, and the logo upload."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, ValidationError
from wtforms.validators import Length, Optional

from interviewer.branding import colours, logos
from interviewer.forms import BaseForm, strip


def _readable_accent(form, field) -> None:
    try:
        field.data = colours.check_accent(field.data)
    except colours.AccentError as error:
        raise ValidationError(str(error)) from None


class BrandForm(BaseForm):
    display_name = StringField(
        "Display name",
        filters=[strip],
        validators=[Optional(), Length(max=120)],
        description="What candidates read on your careers pages, their portal and emails. "
        "Leave it empty to use the team's name.",
    )
    accent_color = StringField(
        "Accent colour",
        filters=[strip],
        validators=[Optional(), _readable_accent],
        description="A hex colour such as #1f5fbf for buttons and links. White text on it "
        "must be readable: at least 4.5:1 contrast (WCAG AA).",
    )


class LogoForm(BaseForm):
    logo = FileField(
        "Logo file",
        validators=[FileRequired(message="Choose a PNG or SVG file to upload.")],
        description=f"PNG or SVG, up to {logos.MAX_BYTES // 1024} KB. An SVG may only draw: "
        "no scripts, links to other files or embedded pages.",
        render_kw={"accept": "image/png,image/svg+xml"},
    )
