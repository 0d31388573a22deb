"""Forms of the planner: a job and its posting."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from interviewer.auth.models import User
from interviewer.catalog.forms import SALARY_MAX, SALARY_MESSAGE
from interviewer.catalog.models import Level
from interviewer.forms import BaseForm, MoneyField, lower, strip, upper
from interviewer.plans.models import EmploymentType, Workplace


def plain_amount(value: Decimal | None) -> Decimal | None:
    """``Decimal("90000.00")`` -> ``Decimal("90000")``, so forms show what people typed."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


class JobForm(BaseForm):
    #: Why the salary range leaves the level's band, set when saving asks for confirmation.
    band_warning: str | None = None

    level_id = SelectField("Level", coerce=int, validators=[DataRequired("Choose a level.")])
    title = StringField(
        "Title",
        filters=[strip],
        validators=[DataRequired("Give the job a title."), Length(max=160)],
    )
    slug = StringField(
        "Web address",
        description="The last part of the public link. Left empty, it is made from the title. "
        "Changing it breaks links already shared.",
        filters=[strip, lower],
        validators=[
            Optional(),
            Length(max=160),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message="Use lower-case letters, digits and single hyphens.",
            ),
        ],
    )
    description = TextAreaField(
        "Description",
        description="What candidates read: the work, the team, what the hire will own.",
        render_kw={"rows": 10},
    )
    location = StringField("Location", filters=[strip], validators=[Length(max=160)])
    workplace = SelectField(
        "Workplace",
        choices=[SelectChoice(w.value, w.value.capitalize()) for w in Workplace],
        default=Workplace.ONSITE.value,
    )
    employment_type = SelectField(
        "Employment type",
        choices=[
            SelectChoice(EmploymentType.EMPLOYEE.value, "Employee"),
            SelectChoice(EmploymentType.CONTRACT.value, "Contract"),
        ],
        default=EmploymentType.EMPLOYEE.value,
    )
    contract_months = IntegerField(
        "Contract length (months)",
        description="Required for a contract.",
        validators=[Optional(), NumberRange(min=1, max=120, message="Between 1 and 120 months.")],
    )
    salary_min = MoneyField(
        "Salary from",
        places=None,
        validators=[Optional(), NumberRange(min=0, max=SALARY_MAX, message=SALARY_MESSAGE)],
    )
    salary_max = MoneyField(
        "Salary to",
        places=None,
        validators=[Optional(), NumberRange(min=0, max=SALARY_MAX, message=SALARY_MESSAGE)],
    )
    salary_currency = StringField(
        "Currency",
        default="USD",
        filters=[strip, upper],
        validators=[
            DataRequired("Give the currency."),
            Regexp(r"^[A-Z]{3}$", message="A three-letter code such as USD or EUR."),
        ],
    )
    posted_on = DateField("Posting date", validators=[Optional()])
    closes_on = DateField("Closing date", validators=[Optional()])
    hiring_manager_id = SelectField("Hiring manager", coerce=int, default=0)
    confirm_outside_band = BooleanField("Save anyway: this range is meant to leave the band")

    def set_choices(self, levels: Sequence[Level], managers: Sequence[User]) -> None:
        """Fill the level and hiring manager lists; each level carries its band for the page."""
        self.level_id.choices = [
            SelectChoice(
                level.id,
                level.name,
                {
                    "data-salary-min": plain_amount(level.salary_min) or "",
                    "data-salary-max": plain_amount(level.salary_max) or "",
                    "data-currency": level.salary_currency,
                },
            )
            for level in levels
        ]
        self.hiring_manager_id.choices = [SelectChoice(0, "Not chosen yet")] + [
            SelectChoice(user.id, user.name) for user in managers
        ]

    def validate_contract_months(self, field: IntegerField) -> None:
        if self.employment_type.data == EmploymentType.CONTRACT.value and not field.data:
            raise ValidationError("A contract needs its length in months.")

    def validate_salary_max(self, field: MoneyField) -> None:
        low = self.salary_min.data
        if low is not None and field.data is not None and field.data < low:
            raise ValidationError("The maximum must not be below the minimum.")

    def validate_closes_on(self, field: DateField) -> None:
        posted = self.posted_on.data
        if posted is not None and field.data is not None and field.data <= posted:
            raise ValidationError("The closing date must come after the posting date.")

    def values(self) -> dict:
        """The job's fields as plain values for ``services.save_job``."""
        return {
            "level_id": self.level_id.data,
            "title": self.title.data,
            "slug": self.slug.data,
            "description": self.description.data,
            "location": self.location.data,
            "workplace": self.workplace.data,
            "employment_type": self.employment_type.data,
            "contract_months": self.contract_months.data,
            "salary_min": self.salary_min.data,
            "salary_max": self.salary_max.data,
            "salary_currency": self.salary_currency.data,
            "posted_on": self.posted_on.data,
            "closes_on": self.closes_on.data,
            "hiring_manager_id": self.hiring_manager_id.data or None,
        }
