"""Portable SQL statistics for the reports: percentiles over groups, durations and weeks.

Runs on SQLite and PostgreSQL. There is no ``percentile_cont`` on SQLite, so a
percentile is read off the ranks: each value is numbered within its group by
``row_number() over (partition by ... order by value)`` next to the group's size from
``count(*) over (partition by ...)``, and one grouped query picks, per requested fraction,
the two values whose ranks surround it. Python only interpolates between those two numbers
per group. PostgreSQL picks the same two values by the same ranks from each group's values
gathered sorted into an array (``gathered_select``), which is several times faster over
hundreds of thousands of rows and gives the same figures to the last bit.

The method is **linear interpolation between closest ranks**, the "inclusive" one: the
``q`` percentile of ``n`` sorted values ``x[0..n-1]`` sits at position ``h = (n - 1) * q``
and is ``x[floor(h)] + (h - floor(h)) * (x[ceil(h)] - x[floor(h)])``. It equals
``statistics.median`` at 0.5, ``statistics.quantiles(method="inclusive")``, PostgreSQL's
``percentile_cont`` and NumPy's default; a single value is every percentile of itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import Date, Float, Select, case, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, array_agg
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ColumnCollection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

#: Seconds in an hour and in a day, for the durations below.
HOUR = 3600.0
DAY = 86400.0

#: A figure from fewer cases than this is shown as "n too small", not as a number.
MIN_N = 5

#: The fractions reports ask for unless they say otherwise: the median and the 90th percentile.
MEDIAN_P90 = (0.5, 0.9)


@dataclass(frozen=True)
class Percentiles:
    """The percentiles of one group: ``n`` values, ``values[q]`` for each fraction asked.

    ``extra`` holds the group's other aggregates, by the names given to ``percentiles``.
    """

    n: int
    values: Mapping[float, float]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def at(self, q: float) -> float:
        return self.values[q]

    @property
    def median(self) -> float | None:
        return self.values.get(0.5)

    @property
    def p90(self) -> float | None:
        return self.values.get(0.9)

    @property
    def enough(self) -> bool:
        """Whether there are enough cases (``MIN_N``) to show the figures."""
        return self.n >= MIN_N


#: An ``extra`` aggregate: a function from the ranked rows' columns (those of ``values``,
#: by name) to an aggregate over the group, e.g. ``lambda c: func.max(c.name)``.
Aggregate = Callable[[ColumnCollection], ColumnElement]


def percentiles(
    session: Session,
    values: Select,
    group_by: Sequence[str] = (),
    quantiles: Sequence[float] = MEDIAN_P90,
    *,
    value: str = "value",
    extra: Mapping[str, Aggregate] | None = None,
) -> dict[Any, Percentiles]:
    """The percentiles of ``values`` per group, in one query.

    ``values`` is a select with a numeric column named ``value`` and the columns named in
    ``group_by`` (and any others the ``extra`` aggregates read). Rows whose value is NULL
    are neither ranked nor counted in ``n``, but the ``extra`` aggregates see them: a group
    whose values are all NULL appears with ``n == 0`` and no figures. The result maps each
    group to its ``Percentiles``: keyed by the group's value when there is one group
    column, by the tuple of values when there are several, and by ``()`` when there are
    none. ``extra`` names aggregates over each group's rows, from the rows' columns by name
    (``{"on_time": within(DAY)}``, ``{"name": lambda c: func.max(c.name)}``).
    """
    if session.get_bind().dialect.name == "postgresql":
        statement = gathered_select(values, group_by, quantiles, value=value, extra=extra)
    else:
        statement = percentile_select(values, group_by, quantiles, value=value, extra=extra)
    fractions = [_fraction(q) for q in quantiles]
    names = list(extra or {})
    width = len(group_by)
    result: dict[Any, Percentiles] = {}
    for row in session.execute(statement):
        key = row[0] if width == 1 else tuple(row[:width])
        n = int(row[width] or 0)
        bounds = row[width + 1 : width + 1 + 2 * len(fractions)]
        figures = {
            q: _interpolate(n, fraction, bounds[2 * i], bounds[2 * i + 1])
            for i, (q, fraction) in enumerate(zip(quantiles, fractions, strict=True))
            if n
        }
        others = dict(zip(names, row[width + 1 + 2 * len(fractions) :], strict=True))
        result[key] = Percentiles(n=n, values=figures, extra=others)
    return result


def percentile_select(
    values: Select,
    group_by: Sequence[str] = (),
    quantiles: Sequence[float] = MEDIAN_P90,
    *,
    value: str = "value",
    extra: Mapping[str, Aggregate] | None = None,
) -> Select:
    """The statement behind ``percentiles``: per group, its columns, ``n``, then for each
    fraction the values at the ranks just below and just above it, then the ``extra``
    aggregates. Useful to combine with other columns; ``percentiles`` reads it back.
    """
    source = values.subquery("source")
    groups = [source.c[name] for name in group_by] or None
    number = source.c[value]
    # NULLs rank after every value (SQLite would put them first; NULLS LAST is SQLite 3.30+),
    # and ``count(value)`` leaves them out of n: the ranks 1..n are the values, in order.
    ranked = select(
        source,
        func.row_number()
        .over(partition_by=groups, order_by=number.asc().nulls_last())
        .label("pct_rank"),
        func.count(number).over(partition_by=groups).label("pct_n"),
    ).subquery("ranked")
    rank_groups = [ranked.c[name] for name in group_by]
    position = ranked.c.pct_rank - 1
    bounds = []
    for q in quantiles:
        fraction = _fraction(q)
        # (rank - 1) compared with (n - 1) * q in whole numbers: no rounding, no floor().
        target = (ranked.c.pct_n - 1) * fraction.numerator
        scaled = position * fraction.denominator
        bounds.append(func.max(case((scaled <= target, ranked.c[value]))))
        bounds.append(func.min(case((scaled >= target, ranked.c[value]))))
    others = [make(ranked.c).label(name) for name, make in (extra or {}).items()]
    return select(*rank_groups, ranked.c.pct_n, *bounds, *others).group_by(
        *rank_groups, ranked.c.pct_n
    )


def gathered_select(
    values: Select,
    group_by: Sequence[str] = (),
    quantiles: Sequence[float] = MEDIAN_P90,
    *,
    value: str = "value",
    extra: Mapping[str, Aggregate] | None = None,
) -> Select:
    """``percentile_select`` for PostgreSQL, with the same columns and the same values:
    each group's values gathered sorted into one array (``array_agg(... ORDER BY ...)``),
    and the two around each fraction picked from it by their ranks.

    The ranks are those of ``percentile_select``, in whole numbers, so the figures are the
    same to the last bit; but one sort per group inside the aggregate replaces numbering
    every row with two window functions and scanning them again per fraction, which over
    three years of stays or seats is several times faster.
    """
    source = values.subquery("source")
    groups = [source.c[name] for name in group_by]
    number = source.c[value]
    others = [make(source.c).label(name) for name, make in (extra or {}).items()]
    gathered = (
        select(
            *groups,
            func.count(number).label("pct_n"),
            array_agg(aggregate_order_by(number, number.asc()))
            .filter(number.is_not(None))
            .label("pct_values"),
            *others,
        )
        .group_by(*groups)
        # No rows, no group: as ``percentile_select``, whose groups include n.
        .having(func.count() > 0)
        .subquery("gathered")
    )
    sorted_values = gathered.c.pct_values
    last = gathered.c.pct_n - 1
    bounds = []
    for q in quantiles:
        fraction = _fraction(q)
        # Floor and ceiling of (n - 1) * q in whole numbers, as ranks from 1.
        scaled = last * fraction.numerator
        bounds.append(sorted_values[scaled // fraction.denominator + 1])
        bounds.append(
            sorted_values[(scaled + fraction.denominator - 1) // fraction.denominator + 1]
        )
    return select(
        *[gathered.c[name] for name in group_by],
        gathered.c.pct_n,
        *bounds,
        *[gathered.c[name] for name in extra or {}],
    )


def _fraction(q: float) -> Fraction:
    if not 0 <= q <= 1:
        raise ValueError(f"a percentile is a fraction between 0 and 1, not {q!r}")
    return Fraction(q).limit_denominator(10_000)


def _interpolate(n: int, q: Fraction, low: Any, high: Any) -> float:
    low, high = float(low), float(high)
    position = (n - 1) * q
    return low + float(position - math.floor(position)) * (high - low)


def share(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, or ``None`` when there is nothing to divide."""
    return numerator / denominator if denominator else None


def within(limit: float, value: str = "value") -> Aggregate:
    """An ``extra`` aggregate for ``percentiles``: how many values are at most ``limit``."""

    def count_within(columns: ColumnCollection) -> ColumnElement:
        return func.sum(case((columns[value] <= limit, 1), else_=0))

    return count_within


def missing(value: str = "value") -> Aggregate:
    """An ``extra`` aggregate for ``percentiles``: how many rows have no value (NULL)."""

    def count_missing(columns: ColumnCollection) -> ColumnElement:
        return func.sum(case((columns[value].is_(None), 1), else_=0))

    return count_missing


class seconds_between(FunctionElement):  # noqa: N801 (used like a SQL function)
    """``seconds_between(start, end)``: the seconds from ``start`` to ``end`` as a float.

    SQLite has no interval type: the difference of the two Julian day numbers times 86400
    (exact to well under a millisecond); PostgreSQL takes the epoch of the interval.
    """

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (
        f"((julianday({compiler.process(end, **kw)}) - "
        f"julianday({compiler.process(start, **kw)})) * 86400.0)"
    )


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element: seconds_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (
        f"CAST(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - "
        f"{compiler.process(start, **kw)})) AS DOUBLE PRECISION)"
    )


class week_start(FunctionElement):  # noqa: N801 (used like a SQL function)
    """``week_start(timestamp)``: the Monday (a date) of the ISO week the UTC time falls in.

    PostgreSQL truncates to the week in UTC (``date_trunc`` on a ``timestamptz`` would follow
    the session's time zone); SQLite, which stores UTC, moves to the coming Sunday (or stays
    on a Sunday) and back six days.
    """

    type = Date()
    name = "week_start"
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    (moment,) = list(element.clauses)
    return f"date({compiler.process(moment, **kw)}, 'weekday 0', '-6 days')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element: week_start, compiler: Any, **kw: Any) -> str:
    (moment,) = list(element.clauses)
    return f"CAST(date_trunc('week', {compiler.process(moment, **kw)} AT TIME ZONE 'UTC') AS DATE)"
