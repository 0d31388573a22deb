"""The reports' filter form: a GET form, so no CSRF token; its values are a bookmarkable
address."""

from __future__ import annotations

from wtforms import DateField, SelectField
from wtforms.validators import Optional

from interviewer.forms import BaseForm


def _optional_id(value):
    """An id from the query string, or ``None`` for "all"."""
    if value in (None, ""):
        return None
    return int(value)


class ReportFilterForm(BaseForm):
    """Job, level and dates. The job and level are checked against the team by the view
    (another team's id is a 404), the dates here."""

    class Meta:
        csrf = False

    job = SelectField("Job", coerce=_optional_id, validate_choice=False)
    level = SelectField("Level", coerce=_optional_id, validate_choice=False)
    start = DateField("From", name="from", validators=[Optional()])
    end = DateField("To", name="to", validators=[Optional()])
