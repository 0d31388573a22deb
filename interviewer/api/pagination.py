"""Pages of API lists by cursor: a page starts after the last row's sort key and id, so rows
added meanwhile never shift a page and a deep page costs what the first does."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from sqlalchemy import Select

from interviewer.api.problems import abort_problem
from interviewer.extensions import db
from interviewer.pagination import Order


def page(statement: Select, order: Order, args: dict[str, Any], **options) -> dict[str, Any]:
    """One page of ``statement`` (unordered) sorted by ``order``: ``{"items", "next"}``.

    A cursor that names no row position is a 400 with the field at fault.
    """
    limit, cursor = args["limit"], args.get("cursor")
    after = order.parse(cursor) if cursor else None
    if cursor and after is None:
        abort_problem(
            400,
            "This cursor is not one the API gave; start again from the first page.",
            field="cursor",
        )
    statement = order.apply(statement, after, None).limit(limit + 1)
    rows = list(db.session.scalars(statement.options(*options.get("load", ()))).all())
    more = len(rows) > limit
    rows = rows[:limit]
    next_link = None
    if more:
        query = {**request.args.to_dict(), "cursor": order.key(rows[-1]), "limit": limit}
        next_link = url_for(request.endpoint, **(request.view_args or {}), **query, _external=True)
    return {"items": rows, "next": next_link}
