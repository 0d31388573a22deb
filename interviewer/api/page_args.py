"""The page size, bounded by a validator that refuses.

``schemas.PageArgs`` bounds ``limit`` with a function returning ``False``, which marshmallow
4 no longer treats as a refusal (``limit=0`` reached the query); the hiring resources use
this until ``schemas.PageArgs`` is fixed, then it can go.
"""

from __future__ import annotations

from marshmallow import fields, validate

from interviewer.api import schemas


class PageArgs(schemas.PageArgs):
    """The query of a list: its page size (1 to 200) and the cursor of the page after."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
