"""Forms of the skill catalogue, the levels and the competency matrix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from interviewer.catalog.models import PROFICIENCY_LABELS, Expectation, Level, Skill, SkillKind
from interviewer.forms import BaseForm, MoneyField, strip, upper

#: Longest behaviour description of one matrix cell: an anchor, not an essay.
CELL_DESCRIPTION_MAX = 1000
#: Numeric(12, 2) holds up to this.
SALARY_MAX = Decimal("9999999999")
SALARY_MESSAGE = "Enter an amount from 0 to 9,999,999,999."


class SkillForm(BaseForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired(message="Give the skill a name."), Length(max=120)],
    )
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice(SkillKind.HARD.value, "Hard skill (technical know-how)"),
            SelectChoice(SkillKind.SOFT.value, "Soft skill (how someone works with others)"),
        ],
        default=SkillKind.HARD.value,
    )
    category = StringField(
        "Category",
        filters=[strip],
        validators=[Length(max=80)],
        description="Groups skills in lists and on the matrix, e.g. Back-end or Collaboration.",
    )
    description = TextAreaField(
        "Description",
        filters=[strip],
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
        description="What the skill covers, in a sentence or two.",
    )


class LevelForm(BaseForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired(message="Give the level a name."), Length(max=80)],
        description="A rung of the ladder, e.g. Junior, Middle, Senior.",
    )
    salary_min = MoneyField(
        "Salary band from",
        validators=[
            Optional(),
            NumberRange(min=0, max=SALARY_MAX, message=SALARY_MESSAGE),
        ],
        render_kw={"inputmode": "decimal", "placeholder": "e.g. 90k"},
    )
    salary_max = MoneyField(
        "Salary band to",
        validators=[
            Optional(),
            NumberRange(min=0, max=SALARY_MAX, message=SALARY_MESSAGE),
        ],
        render_kw={"inputmode": "decimal", "placeholder": "e.g. 180k"},
    )
    salary_currency = StringField(
        "Currency",
        default="USD",
        filters=[strip, upper],
        validators=[
            DataRequired(message="Give a currency code such as USD."),
            Regexp(r"^[A-Z]{3}\Z", message="Use a 3-letter currency code such as USD or EUR."),
        ],
        render_kw={"maxlength": 3, "autocapitalize": "characters", "spellcheck": "false"},
        description="ISO code: USD, EUR, GBP ...",
    )

    def validate_salary_max(self, field):
        low, high = self.salary_min.data, field.data
        if low is not None and high is not None and not self.salary_min.errors and low > high:
            raise ValidationError(f"The maximum must be at least the minimum ({low:,.0f}).")


class MoveLevelForm(BaseForm):
    direction = SelectField(
        "Direction", choices=[SelectChoice("up", "Up"), SelectChoice("down", "Down")]
    )


# Competency matrix -------------------------------------------------------------------------

PROFICIENCY_CHOICES = [
    SelectChoice(str(value), f"{value} · {label}") for value, label in PROFICIENCY_LABELS.items()
]


class ProficiencyField(SelectField):
    """A 0-4 select; its error quotes what was sent, since a select cannot show a bad value."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, choices=PROFICIENCY_CHOICES, coerce=int, **kwargs)

    def _bad_value(self) -> str:
        sent = (self.raw_data or [""])[0].strip()[:20]
        if not sent:
            return "Choose a proficiency from 0 to 4."
        return f"“{sent}” is not on the scale; choose a proficiency from 0 to 4."

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self._bad_value()) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self._bad_value()) from None


def proficiency_name(level_id: int, skill_id: int) -> str:
    return f"cell-{level_id}-{skill_id}-proficiency"


def description_name(level_id: int, skill_id: int) -> str:
    return f"cell-{level_id}-{skill_id}-description"


class MatrixForm(BaseForm):
    """The competency matrix as one form; ``build_matrix_form`` adds a field pair per cell.

    A field missing from the post keeps the stored value, so a skill added in another tab
    since the page was loaded is left alone.
    """

    def proficiency(self, level: Level, skill: Skill):
        return self[proficiency_name(level.id, skill.id)]

    def description(self, level: Level, skill: Skill):
        return self[description_name(level.id, skill.id)]

    def cell_errors(self, level: Level, skill: Skill) -> list[str]:
        return self.proficiency(level, skill).errors + self.description(level, skill).errors

    @property
    def invalid_cells(self) -> int:
        return len({name.rsplit("-", 1)[0] for name, errors in self.errors.items() if errors})

    def cell_values(self) -> dict[tuple[int, int], tuple[int, str]]:
        """(level id, skill id) -> (proficiency, description) of every cell of the form."""
        return {
            (level_id, skill_id): (
                self[proficiency_name(level_id, skill_id)].data,
                self[description_name(level_id, skill_id)].data or "",
            )
            for level_id, skill_id in self._cells
        }


def build_matrix_form(
    levels: Iterable[Level],
    skills: Iterable[Skill],
    cells: Mapping[tuple[int, int], Expectation],
) -> MatrixForm:
    """A form with a proficiency select and a description per (level, skill), filled from
    ``cells`` (the stored expectations) and, on a POST, from the request."""
    levels, skills = list(levels), list(skills)

    class Form(MatrixForm):
        pass

    data = {}
    keys = []
    for skill in skills:
        for level in levels:
            key = (level.id, skill.id)
            keys.append(key)
            where = f"{skill.name} at {level.name}"
            setattr(
                Form,
                proficiency_name(*key),
                ProficiencyField(f"Proficiency: {where}"),
            )
            setattr(
                Form,
                description_name(*key),
                TextAreaField(
                    f"What good looks like: {where}",
                    filters=[strip],
                    validators=[
                        Length(
                            max=CELL_DESCRIPTION_MAX,
                            message=f"Keep it under {CELL_DESCRIPTION_MAX} characters.",
                        )
                    ],
                ),
            )
            cell = cells.get(key)
            data[proficiency_name(*key)] = cell.proficiency if cell is not None else 0
            data[description_name(*key)] = cell.description if cell is not None else ""
    form = Form(data=data)
    form._cells = keys
    return form
