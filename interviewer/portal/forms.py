"""The portal's forms: the candidate's time zone, the windows they propose, the time they book."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from wtforms import DateField, FieldList, FormField, HiddenField, SelectField, TimeField
from wtforms.validators import DataRequired, Optional

from interviewer.candidates.forms import COMMON_ZONES
from interviewer.db import utcnow
from interviewer.forms import BaseForm, SubForm
from interviewer.timezones import zone


def zone_choice(name: str, now: datetime) -> tuple[str, str]:
    """``("Europe/Berlin", "Berlin (UTC+01:00)")``, with today's offset."""
    offset = now.astimezone(zone(name)).strftime("%z")
    city = name.rsplit("/", 1)[-1].replace("_", " ")
    return name, f"{city} (UTC{offset[:3]}:{offset[3:]})"


def zone_choices(extra: Iterable[str | None] = (), now: datetime | None = None):
    """The common zones (those the candidate form offers first) plus ``extra`` ones, ordered
    by today's offset then name."""
    names = frozenset(COMMON_ZONES) | {name for name in extra if name and zone(name).key == name}
    if now is not None:
        return list(_sorted_choices(names, now))
    # Worked out once a minute: every portal page lists the same few dozen zones.
    return list(_sorted_choices(names, utcnow().replace(second=0, microsecond=0)))


@lru_cache(maxsize=64)
def _sorted_choices(names: frozenset[str], now: datetime) -> list[tuple[str, str]]:
    return sorted(
        (zone_choice(name, now) for name in names),
        key=lambda choice: (now.astimezone(zone(choice[0])).utcoffset(), choice[1]),
    )


class TimezoneForm(BaseForm):
    timezone = SelectField(
        "Show times in", validators=[DataRequired(message="Choose your time zone.")]
    )


class WindowForm(SubForm):
    """One window: a date and a start and end time, in the candidate's zone."""

    day = DateField("Date", validators=[Optional()])
    start = TimeField("From", validators=[Optional()])
    end = TimeField("To", validators=[Optional()])

    def filled(self) -> bool:
        return any(field.data for field in (self.day, self.start, self.end))

    def check(self) -> bool:
        """All three or none; the end after the start."""
        if not self.filled():
            return True
        ok = True
        for field in (self.day, self.start, self.end):
            if field.errors:  # not a date or time: the field says so already
                ok = False
            elif not field.data:
                field.errors = [*field.errors, "Fill this in too, or clear the row."]
                ok = False
        if ok and self.end.data <= self.start.data:
            self.end.errors = [*self.end.errors, "End after the start time."]
            ok = False
        return ok


class WindowsForm(BaseForm):
    """A few windows in which the candidate can take the next interview."""

    windows = FieldList(FormField(WindowForm), min_entries=3, max_entries=6)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        checks = [entry.form.check() for entry in self.windows]
        if valid and all(checks) and not any(entry.form.filled() for entry in self.windows):
            self.form_errors.append("Add at least one window: a date, a start and an end time.")
            return False
        return valid and all(checks)

    def filled_rows(self) -> list[WindowForm]:
        return [entry.form for entry in self.windows if entry.form.filled()]


class BookTimeForm(BaseForm):
    """The candidate's pick among the offered times (one button per time)."""

    choice = HiddenField(validators=[DataRequired(message="Pick a time.")])
