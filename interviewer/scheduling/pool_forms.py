"""Forms of the interviewer pools page."""

from __future__ import annotations

from wtforms import SelectChoice, SelectField
from wtforms.validators import DataRequired

from interviewer.forms import BaseForm
from interviewer.scheduling.pool_models import TrainingPhase

PHASE_CHOICES = [SelectChoice(phase.value, phase.label) for phase in TrainingPhase]


class PoolMemberForm(BaseForm):
    """Who joins a pool, and where they start on the training path."""

    user_id = SelectField(
        "Interviewer", coerce=int, validators=[DataRequired(message="Choose an interviewer.")]
    )
    phase = SelectField("Starts as", choices=PHASE_CHOICES, default=TrainingPhase.SHADOW.value)


class PhaseForm(BaseForm):
    """A member's phase, set by a manager."""

    phase = SelectField("Phase", choices=PHASE_CHOICES)


class NewPoolForm(BaseForm):
    """A pool for a stage type, or for one plan stage of it (its own pool)."""

    #: 0: every stage of the type; else the id of the plan stage that gets its own pool.
    plan_stage_id = SelectField("For", coerce=int, default=0)
