"""What the hiring resources' schemas share: the page size, values worked out from a row.

``schemas.PageArgs`` bounds ``limit`` with a function returning ``False``, which marshmallow
4 no longer treats as a refusal (``limit=0`` reached the query): the hiring resources use
``PageArgs`` here until ``schemas.PageArgs`` is fixed, then it can go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import fields, missing, validate

from interviewer.api import schemas
from interviewer.db import INT_MAX

#: An amount is answered as a string, so no digit is lost on the way ("90000.00").
AMOUNT = {"type": "string", "format": "decimal"}


class PageArgs(schemas.PageArgs):
    """The query of a list: its page size (1 to 200) and the cursor of the page after."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def row_id(**kwargs: Any) -> fields.Integer:
    """An id sent to the API: a whole number a database integer holds."""
    return fields.Integer(validate=validate.Range(min=1, max=INT_MAX), **kwargs)


class Derived(fields.Nested):
    """A nested object (or, with ``many``, a list) worked out from the row by ``function``,
    documented with its schema as any nested field is."""

    def __init__(self, nested: Any, function: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(nested, **kwargs)
        self.function = function

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.function(obj)
