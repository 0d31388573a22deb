"""Reminders in batches: a run reads the interviews of the last days a batch at a time (keyset
on their end, ties broken by id), so its statements grow with the batches, not with the
scorecards owed, and every owed scorecard is reminded once, none skipped."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from interviewer.scorecards import reminders
from interviewer.scorecards.models import ScorecardReminder, ScorecardState
from tests import factories
from tests.test_reminders import ENDS

#: Interviews of one afternoon; many end at the same minute, so batches split ties.
INTERVIEWS = 120
BATCH = 25


def _owed_interviews(count: int):
    """``count`` interviews of one team ending at three moments of Monday 4 May, each with
    two interviewers; one of them submitted their scorecard of every third interview."""
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    stage = factories.PlanStageFactory(team=team, job=job, name="System design")
    ana, ben = (
        factories.UserFactory(team=team, role=Role.INTERVIEWER, timezone="UTC") for _ in "ab"
    )
    owed = set()
    for number in range(count):
        ends_at = ENDS - timedelta(minutes=15 * (number % 3))
        interview = factories.InterviewFactory(
            team=team,
            application=factories.ApplicationFactory(team=team, job=job),
            plan_stage=stage,
            starts_at=ends_at - timedelta(hours=1),
            ends_at=ends_at,
        )
        for user in (ana, ben):
            factories.PanelMemberFactory(team=team, interview=interview, user=user)
            if user is ben and number % 3 == 0:
                factories.ScorecardFactory(
                    team=team,
                    interview=interview,
                    interviewer=user,
                    state=ScorecardState.SUBMITTED,
                    recommendation=3,
                )
            else:
                owed.add((interview.id, user.id))
    return owed


def _send(db, count_queries, now, batch_size):
    with count_queries() as counter:
        queued = reminders.send_due_reminders(
            db.session, now, link_for=lambda i: f"https://x/{i.id}", batch_size=batch_size
        )
    return queued, counter.count


def test_every_owed_scorecard_is_reminded_once_batch_by_batch(db, count_queries):
    owed = _owed_interviews(INTERVIEWS)
    now = ENDS + timedelta(hours=1)

    queued, statements = _send(db, count_queries, now, BATCH)

    assert queued == len(owed)
    sent = set(
        db.session.execute(select(ScorecardReminder.interview_id, ScorecardReminder.user_id))
    )
    assert sent == owed
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == len(owed)
    # Five batches of 25 interviews (the last one short): a fixed number of statements each.
    batches = -(-INTERVIEWS // BATCH)
    assert statements <= 12 * batches
    # Nothing twice: the same moment again queues nothing, in one pass over the batches.
    assert _send(db, count_queries, now, BATCH)[0] == 0


def test_the_statements_of_a_run_grow_with_its_batches_not_its_reminders(db, count_queries):
    _owed_interviews(BATCH)
    now = ENDS + timedelta(hours=1)
    _queued, one_batch = _send(db, count_queries, now + timedelta(days=1), BATCH)

    db.session.execute(ScorecardReminder.__table__.delete())
    _owed_interviews(BATCH)
    _queued, two_batches = _send(db, count_queries, now + timedelta(days=1, minutes=1), BATCH)

    # The second team's 25 interviews fill a second batch: the statements at most double.
    assert two_batches <= 2 * one_batch + 1
