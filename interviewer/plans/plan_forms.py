"""Forms of the interview plan, plan templates, planning settings and kits."""

from __future__ import annotations

from wtforms import (
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.validators import ValidationError as FieldError
from wtforms.widgets import CheckboxInput, ListWidget

from interviewer.forms import BaseForm, SubForm
from interviewer.plans.stages import PLAN_LIMIT_HOURS

#: Longest text of one kit field; far above any real kit, low enough to refuse junk.
KIT_TEXT_MAX = 5000


class _Between:
    """Like ``NumberRange``, but silent when the input was not a number at all (the field
    already says so), so the user sees one message, not two."""

    def __init__(self, low: float, high: float, message: str) -> None:
        self.low, self.high, self.message = low, high, message

    def __call__(self, form: BaseForm, field) -> None:
        if field.data is None:
            return
        try:
            inside = self.low <= field.data <= self.high
        except ArithmeticError:  # Decimal("NaN") refuses to be compared
            inside = False
        if not inside:
            raise FieldError(self.message)


class _BlankIsMissing:
    """Blank input is missing input, for ``InputRequired`` to name (not "not a number")."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class _NumberField(_BlankIsMissing, IntegerField):
    pass


class _HoursField(_BlankIsMissing, DecimalField):
    pass


class StageForm(BaseForm):
    """Add or edit a plan stage. Choices are set by the view from the team's data."""

    stage_type = SelectField("Stage type", validators=[InputRequired("Choose the stage type.")])
    name = StringField(
        "Name",
        validators=[Optional(), Length(max=120)],
        description="Leave empty to use the stage type's name.",
    )
    duration_minutes = _NumberField(
        "Duration (minutes)",
        default=60,
        validators=[
            InputRequired("Enter the duration in minutes."),
            _Between(5, 480, "Enter between 5 and 480 minutes."),
        ],
        invalid_value_message="Enter the duration as a whole number of minutes.",
        render_kw={"min": 5, "max": 480, "step": 5},
    )
    panel_size = _NumberField(
        "Interviewers on the panel",
        default=1,
        validators=[
            InputRequired("Enter how many interviewers sit on the panel."),
            _Between(1, 10, "Enter between 1 and 10 interviewers."),
        ],
        invalid_value_message="Enter a whole number of interviewers.",
        render_kw={"min": 1, "max": 10},
    )
    focus_skills = SelectMultipleField(
        "Focus skills",
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class MoveStageForm(BaseForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class _PrefixedForm(BaseForm):
    """A form that shares its page with others: its fields get ids of their own."""

    prefix = ""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", self.prefix)
        super().__init__(*args, **kwargs)


class PlanSourceForm(_PrefixedForm):
    """Copy a plan from another job or a template; ``mode`` comes from the confirmation step."""

    prefix = "copy"
    source = SelectField(
        "Copy the plan of",
        coerce=int,
        validators=[InputRequired("Choose the job whose plan to copy.")],
    )
    mode = HiddenField(validators=[Optional(), AnyOf(["append", "replace"])])


class ApplyTemplateForm(PlanSourceForm):
    prefix = "template"
    source = SelectField("Template", coerce=int, validators=[InputRequired("Choose a template.")])


class SaveTemplateForm(_PrefixedForm):
    prefix = "save"
    name = StringField(
        "Template name",
        validators=[DataRequired("Give the template a name."), Length(max=120)],
        render_kw={"placeholder": "Backend standard loop"},
    )


class PlanSettingsForm(BaseForm):
    max_plan_hours = _HoursField(
        "Longest total interview time of one plan (hours)",
        places=None,
        validators=[
            InputRequired("Enter a number of hours."),
            _Between(*PLAN_LIMIT_HOURS, "Enter between {} and {} hours.".format(*PLAN_LIMIT_HOURS)),
        ],
        render_kw={"min": PLAN_LIMIT_HOURS[0], "max": PLAN_LIMIT_HOURS[1], "step": 0.5},
        description="The planner flags a plan that takes longer than this in total.",
    )


class StageTypeForm(BaseForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Name the stage type."), Length(max=80)],
        render_kw={"placeholder": "Pair programming"},
    )
    description = StringField("Description (optional)", validators=[Length(max=500)])


class KitItemForm(SubForm):
    """The text of one focus skill in a kit; ``skill_id`` says which."""

    skill_id = HiddenField()
    questions = TextAreaField(
        "Questions",
        validators=[Length(max=KIT_TEXT_MAX)],
        description="Asked of every candidate at this stage, in this order.",
    )
    probe = TextAreaField(
        "What to probe",
        validators=[Length(max=KIT_TEXT_MAX)],
        description="Follow-ups and what to listen for in the answers.",
    )
    rubric = TextAreaField(
        "Rubric anchors",
        validators=[Length(max=KIT_TEXT_MAX)],
        description="What each rating looks like; starts from the competency matrix.",
    )


class KitForm(BaseForm):
    what_to_expect = TextAreaField(
        "What to expect (shown to the candidate)",
        validators=[Length(max=KIT_TEXT_MAX)],
        description="What the stage is like and how to prepare; no questions or answers here.",
    )
    items = FieldList(FormField(KitItemForm))
