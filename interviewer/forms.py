"""Form pieces shared by every feature: input filters and fields typed as people write them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from wtforms import DecimalField
from wtforms.widgets import TextInput


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
