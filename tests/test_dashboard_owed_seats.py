"""The dashboard's overdue scorecards and My interviews' overdue and past lists, read from the
report's panel seats, give exactly the rows and counts of the owed-scorecard rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from interviewer.candidates.models import ApplicationStatus
from interviewer.dashboard import services
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards import queries, reminders
from interviewer.scorecards.models import Scorecard, ScorecardState
from tests import factories

NOW = datetime.now(UTC).replace(microsecond=0)


def _interview(team, hours_ago, status=ApplicationStatus.ACTIVE, application=None):
    ended = NOW - timedelta(hours=hours_ago)
    application = application or factories.ApplicationFactory(team=team, status=status)
    return factories.InterviewFactory(
        team=team, application=application, starts_at=ended - timedelta(hours=1), ends_at=ended
    )


def _seat(team, interview, user, state=None, submitted_at=None):
    factories.PanelMemberFactory(team=team, interview=interview, user=user)
    if state is not None:
        factories.ScorecardFactory(
            team=team,
            interview=interview,
            interviewer=user,
            state=state,
            submitted_at=submitted_at,
        )


@pytest.fixture
def history(db):
    """A team with every kind of seat the rules tell apart, and another team's."""
    team = factories.TeamFactory()
    mia = factories.UserFactory(team=team, name="Mia")
    bo = factories.UserFactory(team=team, name="Bo")
    gone = factories.UserFactory(team=team, name="Gone", active=False)
    statuses = list(ApplicationStatus)
    for number in range(24):
        status = statuses[number % len(statuses)]
        interview = _interview(team, hours_ago=2 + number * 7, status=status)
        kind = number % 4
        if kind == 0:
            _seat(team, interview, mia)
            _seat(team, interview, bo, ScorecardState.DRAFT)
        elif kind == 1:
            _seat(team, interview, mia, ScorecardState.SUBMITTED, interview.ends_at)
            _seat(team, interview, gone)
        elif kind == 2:
            # Submitted without a recorded time: still submitted, owed by no one.
            _seat(team, interview, mia, ScorecardState.SUBMITTED)
            _seat(team, interview, bo)
        else:
            _seat(team, interview, mia, ScorecardState.DRAFT)
            _seat(team, interview, bo, ScorecardState.SUBMITTED, interview.ends_at)
    # Cancelled interviews owe nothing; those ended within the hour are not overdue yet;
    # those ahead are not past.
    cancelled = _interview(team, hours_ago=30)
    _seat(team, cancelled, mia)
    cancelled.status = InterviewStatus.CANCELLED
    _seat(team, _interview(team, hours_ago=0.5), mia)
    _seat(team, _interview(team, hours_ago=-20), bo)
    # An interview moved later (its seat follows), and a seat given up.
    moved = _interview(team, hours_ago=50)
    _seat(team, moved, bo)
    moved.starts_at, moved.ends_at = NOW - timedelta(hours=4), NOW - timedelta(hours=3)
    left = _interview(team, hours_ago=40)
    _seat(team, left, mia)
    db.session.flush()
    db.session.delete(db.session.scalars(select(PanelMember).filter_by(interview=left)).one())
    # Two seats of one interview, same time: ordered by interviewer.
    both = _interview(team, hours_ago=60)
    _seat(team, both, mia)
    _seat(team, both, bo)
    other = factories.UserFactory(name="Other")
    _seat(other.team, _interview(other.team, hours_ago=10), other)
    db.session.flush()
    return team, mia, bo


def _shown(owed):
    return [(item.interview.id, item.user.id, item.draft) for item in owed]


@pytest.mark.parametrize("limit", [1, 5, 20])
def test_the_dashboard_lists_and_counts_the_owed_scorecards_the_rules_give(db, history, limit):
    team, _mia, _bo = history

    shown, total = services.overdue_scorecards(db.session, team.id, NOW, limit=limit)
    expected, expected_total = queries.owed_summary(
        db.session,
        team_id=team.id,
        ended_by=NOW - reminders.FIRST_DELAY,
        limit=limit,
        in_process=True,
    )

    assert total == expected_total > 5
    assert _shown(shown) == _shown(expected)


def test_the_dashboard_counts_an_overdue_scorecard_once_it_is_submitted_no_more(db, history):
    team, _mia, _bo = history
    shown, total = services.overdue_scorecards(db.session, team.id, NOW)
    oldest = shown[0]

    card = db.session.scalars(
        select(Scorecard).filter_by(interview=oldest.interview, interviewer=oldest.user)
    ).one_or_none() or factories.ScorecardFactory(
        team=team, interview=oldest.interview, interviewer=oldest.user
    )
    card.state, card.submitted_at = ScorecardState.SUBMITTED, NOW
    db.session.flush()

    after, after_total = services.overdue_scorecards(db.session, team.id, NOW)
    assert after_total == total - 1
    assert _shown(after) == _shown(shown)[1:] + _shown(after)[len(shown) - 1 :]


def _reference_past(db, user):
    """The user's seats at scheduled interviews that are over with a submitted scorecard,
    most recent first, as the rules define them."""
    rows = db.session.execute(
        select(Interview.id, Interview.starts_at)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .join(
            Scorecard,
            (Scorecard.interview_id == Interview.id)
            & (Scorecard.interviewer_id == PanelMember.user_id),
        )
        .where(
            PanelMember.user_id == user.id,
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.ends_at <= NOW,
            Scorecard.state == ScorecardState.SUBMITTED,
        )
        .order_by(Interview.starts_at.desc(), Interview.id.desc())
    ).all()
    return [row.id for row in rows]


@pytest.mark.parametrize("who", ["mia", "bo"])
def test_my_interviews_lists_the_overdue_and_past_interviews_the_rules_give(db, history, who):
    team, mia, bo = history
    user = {"mia": mia, "bo": bo}[who]

    mine = services.my_interviews(db.session, user, NOW, per_page=100)

    owed = queries.owed_scorecards(db.session, team_id=team.id, user_id=user.id, ended_by=NOW)
    owed.sort(key=lambda item: (item.interview.starts_at, item.interview.id), reverse=True)
    assert [entry.interview.id for entry in mine.overdue] == [o.interview.id for o in owed]
    assert mine.overdue_total == len(owed)
    assert [entry.scorecard_state == ScorecardState.DRAFT for entry in mine.overdue] == [
        o.draft for o in owed
    ]
    assert [entry.interview.id for entry in mine.past] == _reference_past(db, user)


def test_my_past_interviews_come_a_page_at_a_time_in_the_same_order(db, history):
    _team, mia, _bo = history
    expected = _reference_past(db, mia)
    seen: list[int] = []
    before = None
    while True:
        mine = services.my_interviews(
            db.session, mia, NOW, per_page=2, before=before, show="past" if before else "all"
        )
        seen += [entry.interview.id for entry in mine.past]
        if mine.past_next is None:
            break
        before = services.Cursor.parse(str(mine.past_next))

    assert seen == expected and len(expected) > 4
