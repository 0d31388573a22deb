"""The careers page settings form: the privacy notice and the self-identification questions."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from interviewer.candidates.self_identification import QUESTIONS
from interviewer.forms import BaseForm


class CareersSettingsForm(BaseForm):
    privacy_notice = TextAreaField(
        "Privacy notice",
        description=(
            "What candidates agree to when they apply: what you keep, why, who sees it, for "
            "how long, and how to ask for a copy or erasure. Leave it empty to use the "
            "standard notice. Each change makes a new version; every consent records the "
            "version the candidate read."
        ),
        validators=[Length(max=20000)],
        render_kw={"rows": 10},
    )
    self_identification = SelectMultipleField(
        "Voluntary self-identification questions to ask",
        description=(
            "Optional on the apply form, each with “Prefer not to say”. Answers are kept apart "
            "from applications and never shown to interviewers or managers: only totals."
        ),
        choices=[SelectChoice(key, question.label) for key, question in QUESTIONS.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )
