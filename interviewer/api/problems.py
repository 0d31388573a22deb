"""Errors as RFC 9457 problem details (``application/problem+json``).

Each names its HTTP status, a title, a detail meant for a person, and for invalid input the
fields at fault with the same message the page would show.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, NoReturn

from flask import Response, json, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"
#: Where the API's addresses begin: errors there are problem details, not pages.
PREFIX = "/api/"


class FieldErrorSchema(Schema):
    field = fields.String(required=True, metadata={"description": "The input at fault."})
    message = fields.String(required=True, metadata={"description": "What to change."})


class ProblemSchema(Schema):
    """RFC 9457 problem details: every error the API answers has this shape."""

    type = fields.String(required=True, metadata={"description": "Always 'about:blank'."})
    title = fields.String(required=True, metadata={"description": "The status's phrase."})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status."})
    detail = fields.String(required=True, metadata={"description": "What went wrong."})
    errors = fields.List(
        fields.Nested(FieldErrorSchema),
        metadata={"description": "For invalid input: each field at fault and why."},
    )


def wants_problem() -> bool:
    """Whether the current request is the API's, whose errors are problem details."""
    return request.path.startswith(PREFIX)


def problem(
    status: int,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem-details response of ``status``."""
    title = HTTPStatus(status).phrase
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail or title
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def abort_problem(
    status: int, detail: str, *, field: str | None = None, **headers: str
) -> NoReturn:
    """Stop the request with a problem of ``status``; ``field`` names the input at fault."""
    errors = [{"field": field, "message": detail}] if field else None
    raise HTTPException(response=problem(status, detail, errors=errors, headers=headers))


def field_errors(messages: Mapping[str, Any], prefix: str = "") -> list[dict[str, str]]:
    """webargs' nested ``{"json": {"name": ["..."]}}`` as a flat list of field and message."""
    found = []
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix and key not in ("json", "query") else str(key)
        if key in ("json", "query", "headers", "files", "form") and not prefix:
            name = ""
        if isinstance(value, Mapping):
            found += field_errors(value, name)
        else:
            for message in value if isinstance(value, list) else [value]:
                if isinstance(message, Mapping):
                    found += field_errors(message, name)
                else:
                    found.append({"field": name or "body", "message": str(message)})
    return found


def from_exception(error: HTTPException) -> Response:
    """The problem details of an HTTP error raised inside the API."""
    if error.response is not None and error.response.mimetype == MEDIA_TYPE:
        return error.response
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = field_errors(data["messages"]) if "messages" in data else None
    detail = error.description if status != 422 else "The request's data is not valid."
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(status, detail, errors=errors, headers=headers)
