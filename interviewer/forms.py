"""Form pieces shared by every feature: the base classes every form derives from (they keep
text clean before it reaches the database), input filters, and fields typed as people write
them.

``BaseForm`` (a Flask-WTF form) and ``SubForm`` (a row of a ``FieldList``) bind each field
through ``CleanMeta``, which adds the checks every field of its kind needs:

- text refuses control characters (C0 but tab and line breaks, DEL, C1), lone surrogates and
  Unicode non-characters, with the position of the first one; PostgreSQL refuses NUL in
  text, and none of them is anything a person means to type. Single-line fields turn tabs
  and line breaks into spaces; multi-line fields (``TextAreaField``) keep them. Hidden fields,
  which nobody types, drop the refused characters quietly and keep the rest as sent.
  Passwords are left as typed: they are hashed, never stored.
- whole numbers must fit a database integer, dates fall between 1900 and 2199.
- input that cannot be read as the field's kind ("lots" as an amount) gets the one message
  that says so, not a second one from the checks of a value that is not there.

Query-string values go through ``bounded_int`` and ``search_text`` (``request.args.get(...,
type=...)``) for the same reasons.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeField,
    DecimalField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.meta import DefaultMeta
from wtforms.validators import NumberRange, StopValidation
from wtforms.widgets import TextInput

from interviewer.db import INT_MAX, INT_MIN

#: The dates a form accepts: wide enough for any posting, interview or absence, narrow
#: enough that date arithmetic and time zone conversions never overflow.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)
#: Longest search text taken from a query string (SQLite refuses very long LIKE patterns).
SEARCH_MAX = 200

_NONCHARACTERS = "".join(
    chr(plane + last) for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)
)
#: Characters no text of the app may hold, as the inside of a regular expression's ``[...]``.
REFUSED_CHARACTERS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS
)
REFUSED = re.compile(f"[{REFUSED_CHARACTERS}]")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")


def refused_character(text: str) -> str | None:
    """What is wrong with ``text``, naming its first refused character; ``None`` when clean."""
    found = REFUSED.search(text)
    if found is None:
        return None
    char = found.group()
    what = "control character" if unicodedata.category(char) == "Cc" else "character"
    return (
        f"Remove the {what} U+{ord(char):04X} at position {found.start() + 1}: "
        "it is not text that can be kept."
    )


def without_refused(text: str) -> str:
    """``text`` less the characters no text may hold."""
    return REFUSED.sub("", text)


def one_line(value: str | None) -> str | None:
    """Filter: tabs and line breaks (pasted into a one-line field) become one space."""
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


def _quietly_clean(value: str | None) -> str | None:
    return without_refused(value) if isinstance(value, str) else value


def _clean_text(form, field) -> None:
    if isinstance(field.data, str) and (problem := refused_character(field.data)):
        raise StopValidation(problem)


#: WTForms' words for a number it could not read; the check replaces them with what to type.
_STOCK_NUMBER_ERRORS = {"Not a valid integer value.", "Not a valid decimal value."}


def _read_as_typed(form, field) -> None:
    """Stops the checks of a field whose input could not be read (not a number, not a date):
    one message says what to type, and the checks would only add a second one about a value
    that is not there. WTForms' "Not a valid integer value." gives way to the field's range
    ("Enter between 1 and 120 months.") where it has one. Blank input is left to
    ``Optional`` and the required checks, which say what is missing."""
    typed = field.raw_data[0] if field.raw_data else ""
    if not (field.process_errors and isinstance(typed, str) and typed.strip()):
        return
    message = field.process_errors[0]
    if message in _STOCK_NUMBER_ERRORS:
        ranges = [check for check in field.validators if isinstance(check, NumberRange)]
        if ranges and ranges[0].message:
            message = ranges[0].message % {"min": ranges[0].min, "max": ranges[0].max}
        else:
            message = "Enter a number, in digits."
    field.errors[:] = []
    raise StopValidation(message)


def _fits_an_integer(form, field) -> None:
    if field.data is not None and not INT_MIN <= field.data <= INT_MAX:
        raise StopValidation("Enter a smaller number.")


def _plausible_date(form, field) -> None:
    value = field.data
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date) and not FIRST_DATE <= value <= LAST_DATE:
        raise StopValidation(f"Enter a date between {FIRST_DATE.year} and {LAST_DATE.year}.")


class CleanMeta(DefaultMeta):
    """Binds every field with the checks of its kind (see the module's docstring)."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        checks, filters = [], []
        if isinstance(field, HiddenField):
            # Not made one line: what checks a hidden value (``next=``) must see its tabs.
            filters = [_quietly_clean]
        elif isinstance(field, PasswordField):
            pass
        elif isinstance(field, TextAreaField):
            checks = [_clean_text]
        elif isinstance(field, StringField):
            checks, filters = [_clean_text], [one_line]
        elif isinstance(field, IntegerField):
            checks = [_fits_an_integer]
        elif isinstance(field, DateTimeField):
            checks = [_plausible_date]
        field.validators = [_read_as_typed, *checks, *field.validators]
        field.filters = [*filters, *field.filters]
        return field


class BaseForm(FlaskForm):
    """The base of every form of the app: Flask-WTF (CSRF) with ``CleanMeta``."""

    class Meta(CleanMeta, FlaskForm.Meta):
        pass


class SubForm(Form):
    """The base of a row of a ``FieldList`` (no CSRF token of its own), with ``CleanMeta``."""

    Meta = CleanMeta


def bounded_int(value: str) -> int:
    """``type=`` of ``request.args.get``: a whole number that fits a database integer;
    anything else raises ``ValueError``, so the argument's default is used instead."""
    number = int(value)
    if not INT_MIN <= number <= INT_MAX:
        raise ValueError(f"{value!r} does not fit an integer")
    return number


def search_text(value: str) -> str:
    """``type=`` of ``request.args.get``: search text as typed, less the characters no text
    may hold, on one line, at most ``SEARCH_MAX`` characters."""
    return one_line(without_refused(value)).strip()[:SEARCH_MAX]


def strip(value: str | None) -> str | None:
    """Filter: drop the spaces that pasting leaves around a value."""
    return value.strip() if isinstance(value, str) else value


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


class MoneyField(DecimalField):
    """An optional amount typed as people write it: ``90000``, ``90,000``, ``90 000`` or ``90k``."""

    widget = TextInput()

    def process_formdata(self, valuelist: Sequence[str]) -> None:
        if not valuelist:
            return
        text = re.sub(r"[\s,_]", "", valuelist[0] or "")
        if not text:
            self.data = None
            return
        factor = 1
        if text[-1] in "kK":
            text, factor = text[:-1], 1000
        try:
            amount = Decimal(text) * factor
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            self.data = None
            raise ValueError("Enter an amount such as 90000 or 90k.")
        self.data = amount

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{int(self.data)}" if self.data % 1 == 0 else f"{self.data:f}"


def field_data(form, name: str):
    """The data of ``form``'s field ``name``, or ``None`` when the form has no such field
    (forms of one family differ in their fields)."""
    return getattr(form, name).data if hasattr(form, name) else None
