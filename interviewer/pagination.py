"""Pages of long lists by cursor: the next page starts after the last row's sort key and id,
so a deep page costs what the first does, and the count stops at ``COUNT_LIMIT``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Select, func, select, tuple_
from sqlalchemy.orm import Session

from interviewer.db import UTCDateTime

#: A list counts its rows exactly up to this many, then says "10,000+".
COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list and the cursors of its neighbours.

    ``total`` is exact when ``total_is_exact``, else the list holds more than
    ``COUNT_LIMIT`` rows; ``pages`` is ``None`` when it is not known.
    """

    items: list[Any]
    page: int
    total: int
    total_is_exact: bool
    has_prev: bool
    has_next: bool
    prev_key: str | None
    next_key: str | None
    per_page: int

    @property
    def pages(self) -> int | None:
        if not self.total_is_exact:
            return None
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Order:
    """How a list is sorted: by ``column`` (a time or a text) then the id, either way."""

    column: Any
    id_column: Any
    descending: bool = False

    def key(self, row) -> str:
        """The cursor of ``row``: its sort value and id."""
        value = getattr(row, self.column.key)
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        return f"{text}~{getattr(row, self.id_column.key)}"

    def parse(self, text: str | None) -> tuple[Any, int] | None:
        """The (value, id) a cursor of :meth:`key` names, or ``None`` if it names none."""
        if not text or "~" not in text:
            return None
        value, _, number = text.rpartition("~")
        if not number.isdigit() or len(number) > 18:
            return None
        if isinstance(self.column.type, DateTime | UTCDateTime):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return None
            if value.tzinfo is None:
                return None
        return value, int(number)

    def apply(self, statement: Select, after, before) -> Select:
        """``statement`` from just after ``after`` (or backwards from just before ``before``),
        ordered for that: the comparison and the order follow one index."""
        columns = (self.column, self.id_column)
        backwards = before is not None
        cursor = before if backwards else after
        ascending = self.descending == backwards
        if cursor is not None:
            row = tuple_(*columns)
            statement = statement.where(
                row > tuple_(*cursor) if ascending else row < tuple_(*cursor)
            )
        return statement.order_by(*(c.asc() if ascending else c.desc() for c in columns))


def bounded_count(session: Session, statement: Select) -> int:
    """The rows of ``statement`` counted up to ``COUNT_LIMIT + 1`` at most."""
    return session.scalar(
        select(func.count()).select_from(statement.limit(COUNT_LIMIT + 1).subquery())
    )


def keyset_page(
    session: Session,
    matching: Select,
    order: Order,
    *,
    per_page: int,
    page: int = 1,
    after: str | None = None,
    before: str | None = None,
    counted: Select | None = None,
    options: Sequence = (),
) -> KeysetPage:
    """The page of ``matching`` (unordered) after (or before) a cursor of ``order``.

    Without a cursor, page ``page`` by OFFSET: a list's own links carry cursors, a page
    number alone comes from a typed or old link. ``counted`` is what is counted (default:
    ``matching``'s ids). A fixed number of statements however deep the page.
    """
    after_key, before_key = order.parse(after), order.parse(before)
    statement = order.apply(matching.options(*options), after_key, before_key)
    page = max(page, 1)
    if after_key is None and before_key is None:
        statement = statement.offset((page - 1) * per_page)
    rows = list(session.scalars(statement.limit(per_page + 1)).all())
    more = len(rows) > per_page
    rows = rows[:per_page]
    counted = counted if counted is not None else matching.with_only_columns(order.id_column)
    total = bounded_count(session, counted)
    exact = total <= COUNT_LIMIT
    if before_key is not None:
        rows.reverse()
        has_prev, has_next = more, True
    else:
        has_prev, has_next = bool(after_key) or page > 1, more
    if not rows and not exact and page > 1:
        # Past the end of a list longer than the bounded count: only now count it all.
        total = session.scalar(select(func.count()).select_from(counted.subquery()))
        exact = True
    has_prev, has_next = has_prev and bool(rows), has_next and bool(rows)
    return KeysetPage(
        items=rows,
        page=page,
        total=total,
        total_is_exact=exact,
        has_prev=has_prev,
        has_next=has_next,
        prev_key=order.key(rows[0]) if has_prev else None,
        next_key=order.key(rows[-1]) if has_next else None,
        per_page=per_page,
    )
