"""Forms for the team's scheduling settings, and the link check the settings forms share."""

from __future__ import annotations

from wtforms import IntegerField, URLField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from interviewer.forms import BaseForm, strip
from interviewer.scheduling.settings import TEAM_BOUNDS, VIDEO_LINK_BASE_MAX, link_problem


class HttpsLink:
    """A blank field or a full https link (``base``: one a room name is added after)."""

    def __init__(self, *, base: bool = False, max_length: int = 500) -> None:
        self.base, self.max_length = base, max_length

    def __call__(self, form, field) -> None:
        if field.data:
            problem = link_problem(field.data, base=self.base, max_length=self.max_length)
            if problem:
                raise ValidationError(problem)


def _bounded(label: str, name: str, description: str) -> IntegerField:
    bound = TEAM_BOUNDS[name]
    return IntegerField(
        label,
        validators=[
            InputRequired(message=bound.message),
            NumberRange(min=bound.low, max=bound.high, message=bound.message),
        ],
        description=description,
    )


class TeamSchedulingForm(BaseForm):
    """``/team/scheduling``: breaks, training paths, video rooms and portal offers."""

    min_break_minutes = _bounded(
        "Minimum break between interviews (minutes)",
        "min_break_minutes",
        "The shortest gap between two interviews of one interviewer; 0 allows back to back.",
    )
    shadow_interviews = _bounded(
        "Shadow interviews",
        "shadow_interviews",
        "How many interviews a trainee watches before leading one.",
    )
    reverse_shadow_interviews = _bounded(
        "Reverse-shadow interviews",
        "reverse_shadow_interviews",
        "How many interviews a trainee leads under a qualified interviewer's eye before "
        "qualifying.",
    )
    video_link_base = URLField(
        "Video rooms address",
        filters=[strip],
        validators=[Optional(), HttpsLink(base=True, max_length=VIDEO_LINK_BASE_MAX - 1)],
        description="Each interview gets its own unguessable room under this address, e.g. "
        "https://meet.jit.si/. Leave empty to type links yourself. An interviewer's own "
        "meeting link, if they set one, comes first.",
    )
    booking_offer_hours = _bounded(
        "Hold offered times for (hours)",
        "booking_offer_hours",
        "How long the times offered to a candidate on their portal stay held for them; "
        "then they are released for others. 72 is three days, 336 two weeks.",
    )

    #: The fields, in the order of ``update_team_scheduling``'s keywords.
    SETTINGS = (
        "min_break_minutes",
        "shadow_interviews",
        "reverse_shadow_interviews",
        "booking_offer_hours",
        "video_link_base",
    )

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.SETTINGS}
