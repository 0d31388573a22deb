"""The scorecard form: a rating and evidence per focus skill, takeaways, a recommendation.

The per-skill fields depend on the interview's kit, so ``scorecard_form`` builds the form
class for a list of kit entries; fields are named ``score_<skill id>`` and
``evidence_<skill id>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from interviewer.candidates.forms import CANCEL_INTERVIEWS_LABEL, CandidateEmailForm
from interviewer.forms import BaseForm
from interviewer.scorecards.models import RATING_LABELS, DecisionOutcome
from interviewer.scorecards.services import KitEntry, RatingInput, ScorecardInput

#: Enough for thorough notes, short of pasting a transcript.
MAX_TEXT = 10_000
NOT_ASSESSED = "na"
SCALE = [SelectChoice(str(score), f"{score} {label}") for score, label in RATING_LABELS.items()]


def _score(value: object) -> int | None:
    """A posted rating as 1-4, or None for "not assessed"; anything else is refused."""
    if value in (None, "", NOT_ASSESSED):
        return None
    score = int(value)  # type: ignore[call-overload]
    if score not in RATING_LABELS:
        raise ValueError(f"{score} is not on the scale")
    return score


def _text(value: str | None) -> str | None:
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _scale_field(label: str, choices: list[SelectChoice]) -> RadioField:
    # Choices are checked by ``_score`` while the post is read, so a missing choice (no
    # recommendation yet, in a draft) is allowed here and refused only on submission.
    return RadioField(label, choices=choices, coerce=_score, validate_choice=False)


class ScorecardForm(BaseForm):
    """Fields shared by every scorecard; ``scorecard_form`` adds those of the focus skills."""

    #: The ``lock_version`` the form was loaded with (0 for a scorecard not saved yet).
    lock_version = HiddenField(default="0")
    key_takeaways = TextAreaField(
        "Key takeaways",
        filters=[_text],
        validators=[Length(max=MAX_TEXT)],
        description="What stood out, in a few lines: the debrief reads this first.",
    )
    recommendation = _scale_field("Overall recommendation", SCALE)
    save_draft = SubmitField("Save draft")
    submit_scorecard = SubmitField("Submit scorecard")

    skill_ids: list[int]
    #: Messages about the ratings as a whole, shown above the focus skills.
    ratings_errors: list[str] = []

    @property
    def expected_lock(self) -> int:
        """The lock version the form was loaded with; -1 when it is unreadable."""
        try:
            return int(self.lock_version.data or 0)
        except ValueError:
            return -1

    def score_field(self, skill_id: int) -> Field:
        return self[f"score_{skill_id}"]

    def evidence_field(self, skill_id: int) -> Field:
        return self[f"evidence_{skill_id}"]

    def to_input(self) -> ScorecardInput:
        """The typed content, for the services."""
        return ScorecardInput(
            ratings={
                skill_id: RatingInput(
                    self.score_field(skill_id).data, self.evidence_field(skill_id).data or ""
                )
                for skill_id in self.skill_ids
            },
            key_takeaways=self.key_takeaways.data or "",
            recommendation=self.recommendation.data,
        )

    def fill(self, data: ScorecardInput, lock_version: int) -> None:
        """Show stored content (on a GET)."""
        for skill_id in self.skill_ids:
            typed = data.ratings.get(skill_id, RatingInput())
            self.score_field(skill_id).data = typed.score
            self.evidence_field(skill_id).data = typed.evidence
        self.key_takeaways.data = data.key_takeaways
        self.recommendation.data = data.recommendation
        self.lock_version.data = str(lock_version)

    def add_errors(self, errors: Mapping[str | int, list[str]]) -> None:
        """Show the services' messages next to their fields, or above the form."""
        for key, messages in errors.items():
            target = self.evidence_field(key) if isinstance(key, int) else self._fields.get(key)
            if target is not None:
                target.errors = [*target.errors, *messages]
            elif key == "ratings":
                self.ratings_errors = [*self.ratings_errors, *messages]
            else:
                self.form_errors.extend(messages)


class AmendForm(ScorecardForm):
    """The scorecard form of an amendment: the same content and the reason for the change."""

    reason = TextAreaField(
        "Reason for the amendment",
        filters=[_text],
        validators=[Length(max=2000)],
        description="Kept with the new version and shown in the scorecard's history.",
    )
    save_amendment = SubmitField("Save amendment")


def scorecard_form(
    entries: Sequence[KitEntry], form_class: type[ScorecardForm] = ScorecardForm, **kwargs
) -> ScorecardForm:
    """A ``form_class`` with a rating and an evidence field for each kit entry."""
    fields: dict[str, Field] = {}
    for entry in entries:
        fields[f"score_{entry.skill.id}"] = _scale_field(
            f"Rating for {entry.skill.name}", [*SCALE, SelectChoice(NOT_ASSESSED, "Not assessed")]
        )
        fields[f"evidence_{entry.skill.id}"] = TextAreaField(
            f"Evidence for {entry.skill.name}",
            filters=[_text],
            validators=[Length(max=MAX_TEXT)],
        )
    bound = type(form_class.__name__, (form_class,), fields)
    form = bound(**kwargs)
    form.skill_ids = [entry.skill.id for entry in entries]
    return form


#: How each outcome is offered on the form.
OUTCOME_LABELS = {
    DecisionOutcome.ADVANCE: "Advance to the next stage",
    DecisionOutcome.REJECT: "Reject",
    DecisionOutcome.OFFER: "Make an offer",
    DecisionOutcome.HIRE: "Hire (the offer was accepted)",
}


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


#: The outcomes whose move emails the candidate (moved on, rejected).
EMAILED_OUTCOMES = (DecisionOutcome.ADVANCE.value, DecisionOutcome.REJECT.value)


class DecisionForm(CandidateEmailForm):
    """The decision, its rationale, and the email that goes with an advance or a rejection."""

    outcome = RadioField(
        "Decision",
        choices=[SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(message="Choose a decision.")],
    )
    reason = SelectField(
        "Rejection reason", choices=[], default="", description="Only for a rejection."
    )
    rationale = TextAreaField(
        "Rationale",
        filters=[_strip],
        description="What the evidence shows, against the level's bar. Kept with the decision.",
        validators=[
            DataRequired(message="Say why: the rationale is kept with the decision."),
            Length(max=5000),
        ],
        render_kw={"rows": 4},
    )
    confirm_missing = BooleanField("Decide anyway, without the missing scorecards")
    #: For a rejection: cancel the interviews still to come (ticked by default).
    cancel_interviews = BooleanField(CANCEL_INTERVIEWS_LABEL, default=True)

    def validate_reason(self, field: SelectField) -> None:
        if self.outcome.data == DecisionOutcome.REJECT.value and not field.data:
            raise ValidationError("Choose a rejection reason.")

    def validate_email_body(self, field: TextAreaField) -> None:
        if self.outcome.data in EMAILED_OUTCOMES:
            super().validate_email_body(field)


class ConsiderForm(BaseForm):
    """Consider the candidate for another open job, at the level their ratings meet."""

    job = SelectField("Job", coerce=int, validate_choice=False)
    reason = TextAreaField(
        "Why",
        validators=[
            DataRequired(message="Say why the candidate is considered for this job."),
            Length(max=2000),
        ],
        description="Kept with the new application and shown on its debrief.",
    )

    def validate_job(self, field) -> None:
        if field.data not in {value for value, _ in self.job.choices}:
            raise ValidationError("Choose one of the open jobs listed.")
