"""The reports' portable statistics: percentiles by rank, durations and ISO weeks in SQL,
checked against Python's own on the test database (SQLite, or PostgreSQL when set)."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, func, insert, select, text

from interviewer.db import UTCDateTime
from interviewer.reports.stats import (
    DAY,
    HOUR,
    gathered_select,
    missing,
    percentile_select,
    percentiles,
    seconds_between,
    week_start,
    within,
)

_metadata = MetaData()
sample = Table(
    "stats_sample",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("grp", String(10)),
    Column("sub", Integer),
    Column("value", Float),
)
moments = Table(
    "stats_moments",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("start", UTCDateTime()),
    Column("finish", UTCDateTime()),
)


@pytest.fixture
def session(db):
    """The test session with the two scratch tables, dropped with the test's transaction."""
    _metadata.create_all(db.session.connection())
    return db.session


def _fill(session, rows: list[tuple[str, int, float | None]]) -> None:
    session.execute(insert(sample), [{"grp": g, "sub": s, "value": v} for g, s, v in rows])


def _inclusive(data: list[float], q: float) -> float:
    """Python's answer: ``statistics.quantiles(method="inclusive")``, or the one value."""
    if len(data) == 1:
        return data[0]
    if q == 0.5:
        return statistics.median(data)
    if q == 0:
        return min(data)
    if q == 1:
        return max(data)
    cuts = statistics.quantiles(data, n=100, method="inclusive")
    return cuts[round(q * 100) - 1]


def test_three_stays_of_one_two_and_ten_days_have_a_median_of_two_days(session):
    _fill(session, [("a", 0, 1 * DAY), ("a", 0, 2 * DAY), ("a", 0, 10 * DAY)])
    values = select(sample.c.grp, sample.c.value)

    result = percentiles(session, values, ["grp"])

    assert set(result) == {"a"}
    assert result["a"].n == 3
    assert result["a"].median == pytest.approx(2 * DAY)
    # (3 - 1) * 0.9 = 1.8: 2 days + 0.8 * (10 - 2) days = 8.4 days.
    assert result["a"].p90 == pytest.approx(8.4 * DAY)
    assert not result["a"].enough


def test_an_even_count_interpolates_between_the_middle_two(session):
    _fill(session, [("a", 0, v) for v in (4.0, 1.0, 3.0, 2.0, 100.0, 5.0)])

    result = percentiles(session, select(sample.c.grp, sample.c.value), ["grp"])

    assert result["a"].median == pytest.approx(3.5)
    # (6 - 1) * 0.9 = 4.5: halfway between 5 and 100.
    assert result["a"].p90 == pytest.approx(52.5)
    assert result["a"].n == 6
    assert result["a"].enough


def test_one_value_is_every_percentile_and_nulls_are_neither_ranked_nor_counted(session):
    _fill(session, [("a", 0, 7.0), ("a", 0, None), ("b", 0, None)])

    result = percentiles(session, select(sample.c.grp, sample.c.value), ["grp"])

    assert (result["a"].n, result["a"].median, result["a"].p90) == (1, 7.0, 7.0)
    assert (result["b"].n, result["b"].median, result["b"].values) == (0, None, {})
    assert not result["b"].enough


def test_no_group_columns_gives_one_overall_group(session):
    _fill(session, [("a", 0, 1.0), ("b", 0, 2.0), ("c", 0, 3.0)])

    result = percentiles(session, select(sample.c.value))

    assert list(result) == [()]
    assert result[()].median == 2.0


def test_several_group_columns_key_by_tuple_and_extra_aggregates_ride_along(session):
    _fill(session, [("a", 1, 3 * HOUR), ("a", 1, 30 * HOUR), ("a", 2, 5 * HOUR)])
    values = select(sample.c.grp, sample.c.sub, sample.c.value)

    result = percentiles(session, values, ["grp", "sub"], (0.5,), extra={"day": within(DAY)})

    assert set(result) == {("a", 1), ("a", 2)}
    assert result[("a", 1)].extra == {"day": 1}
    assert result[("a", 1)].median == pytest.approx(16.5 * HOUR)
    assert result[("a", 2)].extra == {"day": 1}
    assert result[("a", 1)].p90 is None, "only the fractions asked are computed"


def test_extra_aggregates_see_the_rows_without_a_value_and_read_other_columns(session):
    _fill(session, [("a", 1, None), ("a", 2, 4.0), ("a", 3, None), ("a", 4, 1.0), ("a", 5, 9.0)])
    values = select(sample.c.grp, sample.c.sub, sample.c.value)

    result = percentiles(
        session,
        values,
        ["grp"],
        extra={"open": missing(), "last": lambda c: func.max(c.sub)},
    )

    assert result["a"].n == 3
    assert result["a"].median == 4.0, "the NULLs rank after the values, not among them"
    assert result["a"].at(0.9) == pytest.approx(4.0 + 0.8 * 5.0)
    assert result["a"].extra == {"open": 2, "last": 5}


def test_values_may_be_aggregates_of_a_grouped_select(session):
    _fill(session, [("a", 1, 1.0), ("a", 1, 2.0), ("a", 2, 10.0), ("a", 3, None), ("b", 4, 5.0)])
    totals = select(sample.c.grp, func.sum(sample.c.value).label("value")).group_by(
        sample.c.grp, sample.c.sub
    )

    result = percentiles(session, totals, ["grp"], (0.5,))

    assert (result["a"].n, result["a"].median) == (2, 6.5), "sums 3 and 10; NULL not counted"
    assert (result["b"].n, result["b"].median) == (1, 5.0)


def test_percentiles_match_python_on_random_data_with_ties(session):
    rng = random.Random(20261202)
    groups: dict[str, list[float]] = {}
    rows = []
    for index in range(25):
        size = rng.choice([1, 2, 3, 4, 5, 7, 10, 13, 31, 60])
        # Whole numbers from a small range make ties; fractions make none.
        draw = (lambda: float(rng.randint(0, 9))) if index % 3 == 0 else (lambda: rng.random())
        data = [draw() * 1000 for _ in range(size)]
        groups[f"g{index}"] = data
        rows.extend((f"g{index}", 0, v) for v in data)
    _fill(session, rows)
    fractions = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0)

    result = percentiles(session, select(sample.c.grp, sample.c.value), ["grp"], fractions)

    assert set(result) == set(groups)
    for name, data in groups.items():
        assert result[name].n == len(data)
        for q in fractions:
            assert result[name].at(q) == pytest.approx(_inclusive(data, q), abs=1e-6), (name, q)


def test_percentiles_are_one_statement_whatever_the_number_of_groups(session, count_queries):
    _fill(session, [(f"g{i % 40}", 0, float(i)) for i in range(400)])

    with count_queries() as counter:
        result = percentiles(session, select(sample.c.grp, sample.c.value), ["grp"])

    assert len(result) == 40
    assert counter.count == 1


def test_percentile_select_is_usable_as_a_subquery(session):
    _fill(session, [("a", 0, 1.0), ("a", 0, 2.0), ("b", 0, 5.0)])
    statement = percentile_select(select(sample.c.grp, sample.c.value), ["grp"], (0.5,))

    rows = session.execute(select(statement.subquery().c.grp).order_by("grp")).scalars()

    assert list(rows) == ["a", "b"]


def test_postgresql_gathers_the_same_values_to_the_last_bit_as_the_ranks(session):
    """PostgreSQL reads percentiles from sorted arrays (``gathered_select``); the ranks it
    picks are those of the portable statement, whatever the ties, NULLs or group sizes."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("arrays are PostgreSQL's")
    rng = random.Random(20261203)
    rows = []
    for index in range(30):
        size = rng.choice([1, 2, 3, 5, 9, 10, 11, 101])
        for _ in range(size):
            value = (
                None if rng.random() < 0.1 else rng.choice([float(rng.randint(0, 5)), rng.random()])
            )
            rows.append((f"g{index}", index % 3, value))
    rows.append(("nulls", 0, None))
    _fill(session, rows)
    fractions = (0.0, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0)
    values = select(sample.c.grp, sample.c.sub, sample.c.value)
    extra = {"missing": missing(), "within": within(0.5)}

    def both(*args, **kwargs):
        ranked = session.execute(percentile_select(*args, **kwargs)).all()
        gathered = session.execute(gathered_select(*args, **kwargs)).all()
        return sorted(ranked), sorted(gathered)

    for group_by in ([], ["grp"], ["grp", "sub"]):
        ranked, gathered = both(values, group_by, fractions, extra=extra)
        assert gathered == ranked, group_by
    nothing = values.where(sample.c.grp == "none")
    assert both(nothing, [], fractions) == ([], [])


def test_a_fraction_outside_zero_and_one_is_refused(session):
    with pytest.raises(ValueError):
        percentiles(session, select(sample.c.grp, sample.c.value), ["grp"], (90,))


def test_seconds_between_two_utc_times(session):
    start = datetime(2026, 3, 28, 22, 15, 0, tzinfo=UTC)
    spans = [
        timedelta(seconds=1),
        timedelta(hours=3, minutes=7, seconds=30),
        timedelta(days=1, hours=6),
        # Over a daylight-saving change in Europe: UTC has none.
        timedelta(days=45, minutes=1),
        timedelta(microseconds=500_000),
        -timedelta(hours=2),
    ]
    session.execute(
        insert(moments),
        [{"id": i, "start": start, "finish": start + span} for i, span in enumerate(spans)],
    )

    found = session.execute(
        select(moments.c.id, seconds_between(moments.c.start, moments.c.finish)).order_by(
            moments.c.id
        )
    ).all()

    assert [seconds for _, seconds in found] == [
        pytest.approx(span.total_seconds(), abs=1e-3) for span in spans
    ]
    assert all(isinstance(seconds, float) for _, seconds in found)


def test_week_start_is_the_monday_of_the_iso_week_in_utc(session):
    if session.get_bind().dialect.name == "postgresql":
        # A session in another zone must not shift the weeks: they are UTC weeks.
        session.execute(text("SET LOCAL TIME ZONE 'Pacific/Auckland'"))
    first = datetime(2025, 12, 20, tzinfo=UTC)
    times = []
    for day in range(400):
        for hour, minute in ((0, 0), (11, 30), (23, 59)):
            times.append(first + timedelta(days=day, hours=hour, minutes=minute))
    session.execute(insert(moments), [{"id": i, "start": t} for i, t in enumerate(times)])

    found = dict(session.execute(select(moments.c.id, week_start(moments.c.start))).all())

    expected = {i: t.date() - timedelta(days=t.weekday()) for i, t in enumerate(times)}
    assert found == expected
    assert found[0] == date(2025, 12, 15)
    assert all(monday.isoweekday() == 1 for monday in found.values())


def test_week_start_groups_in_sql(session):
    sunday_night = datetime(2026, 1, 11, 23, 30, tzinfo=UTC)
    monday_morning = datetime(2026, 1, 12, 0, 30, tzinfo=UTC)
    session.execute(
        insert(moments),
        [{"start": sunday_night}, {"start": sunday_night}, {"start": monday_morning}],
    )
    week = week_start(moments.c.start)

    counts = dict(session.execute(select(week, func.count()).group_by(week)).all())

    assert counts == {date(2026, 1, 5): 2, date(2026, 1, 12): 1}
