"""What the hiring resources' schemas share: values worked out from a row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import fields, missing


class Derived(fields.Nested):
    """A nested object (or, with ``many``, a list) worked out from the row by ``function``,
    documented with its schema as any nested field is."""

    def __init__(self, nested: Any, function: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self.function = function

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.function(obj)
