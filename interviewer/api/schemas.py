"""What every resource's schemas share: times in RFC 3339 UTC, pages with a ``next`` link."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, fields, validate

from interviewer.db import INT_MAX


class UtcDateTime(fields.DateTime):
    """A time in RFC 3339, always in UTC with a ``Z``; a time read without a zone is refused."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

    def _deserialize(self, value, attr, data, **kwargs):
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is None:
            raise self.make_error("invalid", input=value, obj_type="datetime with a time zone")
        return parsed.astimezone(UTC)


def row_id(**kwargs) -> fields.Integer:
    """An id sent to the API: a whole number a database integer holds (a larger one is
    invalid input, not a database error)."""
    return fields.Integer(validate=validate.Range(min=1, max=INT_MAX), **kwargs)


class PageArgs(Schema):
    """The query of a list: its page size and the cursor of the page after."""

    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(load_default=None, metadata={"description": "From a 'next' link."})


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of ``item``: the items, and the address of the next page
    (``null`` on the last)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next": fields.String(allow_none=True, required=True),
        },
        name=name,
    )
