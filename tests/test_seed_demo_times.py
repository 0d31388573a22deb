"""The demo seeded at any moment: every interview keeps to its panel's availability, in
each stage's order, and nobody is booked twice. Each test seeds its own empty database, so
these are apart from ``test_seed_demo``, whose tests share one seeding."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from interviewer.scheduling.models import Availability, AvailabilityException, Interview
from interviewer.scorecards.models import Scorecard
from interviewer.seed import seed_demo


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 6, 1, 8, 0, tzinfo=UTC),  # a Monday morning
        datetime(2026, 6, 6, 23, 30, tzinfo=UTC),  # a Saturday night
        datetime(2026, 3, 20, 12, 0, tzinfo=UTC),  # US on summer time, Europe not yet
        datetime(2026, 12, 31, 17, 0, tzinfo=UTC),
    ],
)
def test_demo_interviews_keep_to_availability_order_and_nobody_is_double_booked(db, now):
    result = seed_demo(db.session, now=now)
    assert result.created

    interviews = db.session.scalars(select(Interview)).all()
    windows = defaultdict(set)
    for row in db.session.scalars(select(Availability)):
        windows[row.user_id].add((row.weekday, row.start_time, row.end_time))
    exceptions = db.session.scalars(select(AvailabilityException)).all()
    days_off = {(row.user_id, row.on_date) for row in exceptions}
    bookings = defaultdict(list)
    for interview in interviews:
        candidate = ("candidate", interview.application.candidate_id)
        bookings[candidate].append(interview)
        for user in interview.interviewers:
            bookings[user.id].append(interview)
            start = interview.starts_at.astimezone(ZoneInfo(user.timezone))
            end = interview.ends_at.astimezone(ZoneInfo(user.timezone))
            assert (user.id, start.date()) not in days_off
            assert any(
                day == start.weekday() and low <= start.time() and end.time() <= high
                for day, low, high in windows[user.id]
            ), (user.name, start)
        assert len(interview.interviewers) == interview.plan_stage.panel_size
        if interview.starts_at > now:
            assert not db.session.scalar(
                select(func.count())
                .select_from(Scorecard)
                .where(Scorecard.interview_id == interview.id)
            )
    for booked in bookings.values():
        booked.sort(key=lambda interview: interview.starts_at)
        for earlier, later in zip(booked, booked[1:], strict=False):
            assert earlier.ends_at <= later.starts_at
    by_application = defaultdict(list)
    for interview in sorted(interviews, key=lambda interview: interview.starts_at):
        by_application[interview.application_id].append(interview.plan_stage.position)
    assert all(
        positions == list(range(1, len(positions) + 1)) for positions in by_application.values()
    )
    assert any(i.starts_at > now for i in interviews) and any(i.ends_at < now for i in interviews)
