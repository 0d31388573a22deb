"""``flask send-reminders``: when an interviewer is reminded of a scorecard they owe, with the
clock frozen at the moments that matter.

Monday 4 May 2026 is the interview day of most tests; 9 and 10 May are a weekend.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import InterviewStatus
from interviewer.scorecards import reminders
from interviewer.scorecards.models import ScorecardState
from tests import factories
from tests.test_scorecard_writing import complete, url

#: The end of the interview: Monday 4 May 2026, 15:00 UTC.
ENDS = datetime(2026, 5, 4, 15, 0, tzinfo=UTC)


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of May 2026 in UTC."""
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC)


def make_interview(ends_at=ENDS, zones=("UTC",), **fields):
    """A one-hour system design interview of Kenji Watanabe ending at ``ends_at``, with one
    interviewer per time zone in ``zones``; returns (interview, interviewers)."""
    team = factories.TeamFactory(name="Acme Engineering")
    job = factories.JobFactory(team=team, title="Senior Backend Developer")
    stage = factories.PlanStageFactory(team=team, job=job, name="System design")
    kit = factories.KitVersionFactory(team=team, plan_stage=stage)
    factories.KitItemFactory(
        team=team, kit_version=kit, skill=factories.SkillFactory(team=team, name="API design")
    )
    candidate = factories.CandidateFactory(team=team, name="Kenji Watanabe")
    interview = factories.InterviewFactory(
        team=team,
        application=factories.ApplicationFactory(team=team, job=job, candidate=candidate),
        plan_stage=stage,
        kit_version=kit,
        starts_at=ends_at - timedelta(hours=1),
        ends_at=ends_at,
        **fields,
    )
    users = []
    for index, timezone in enumerate(zones):
        user = factories.UserFactory(
            team=team, name=f"Panelist{index} Person", timezone=timezone, role=Role.INTERVIEWER
        )
        factories.PanelMemberFactory(team=team, interview=interview, user=user)
        users.append(user)
    return interview, users


def scorecard(interview, user, state):
    return factories.ScorecardFactory(
        team=interview.team,
        interview=interview,
        interviewer=user,
        state=state,
        recommendation=3 if state == ScorecardState.SUBMITTED else None,
    )


def run(runner, when: datetime) -> str:
    """Run ``flask send-reminders`` at ``when``; returns what it printed."""
    with time_machine.travel(when, tick=False):
        result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def emails(db, user=None) -> list[OutboxEmail]:
    db.session.expire_all()
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    if user is not None:
        query = query.where(OutboxEmail.to_email == user.email)
    return list(db.session.scalars(query))


def test_nothing_is_sent_until_an_hour_after_the_interview_ends(runner, db):
    interview, (ana,) = make_interview()

    output = run(runner, ENDS + timedelta(minutes=59))

    assert output == "Queued 0 reminders.\n"
    assert emails(db) == []


def test_an_hour_after_the_end_each_interviewer_who_has_not_submitted_is_reminded(
    app, runner, db, monkeypatch
):
    monkeypatch.setitem(app.config, "APP_URL", "https://hire.example.com")
    interview, (ana, ben, cleo) = make_interview(zones=("UTC", "America/New_York", "UTC"))
    scorecard(interview, cleo, ScorecardState.SUBMITTED)

    output = run(runner, ENDS + timedelta(hours=1))

    assert output == "Queued 2 reminders.\n"
    sent = emails(db)
    assert [email.to_email for email in sent] == [ana.email, ben.email]
    email = sent[1]
    assert email.subject == "Scorecard reminder: System design with Kenji Watanabe"
    assert email.interview_id == interview.id
    assert email.sent_at is None and email.ics == ""
    assert email.body.startswith("Hello Panelist1,")
    assert (
        "Your scorecard for the System design interview with Kenji Watanabe "
        "(Senior Backend Developer) is not submitted yet." in email.body
    )
    # The interviewer's own time: 10:00-11:00 in New York.
    assert "Interview: Mon 04 May, 10:00-11:00 (New York time)" in email.body
    assert f"https://hire.example.com/interviews/{interview.id}/scorecard" in email.body
    assert "Your draft is saved" not in email.body
    assert email.body.endswith("Acme Engineering hiring team")


def test_running_again_the_same_day_queues_nothing(runner, db):
    interview, (ana,) = make_interview()

    first = run(runner, ENDS + timedelta(hours=1))
    again = run(runner, ENDS + timedelta(hours=1))
    evening = run(runner, at(4, 23, 59))

    assert (first, again, evening) == ("Queued 1 reminder.\n", *["Queued 0 reminders.\n"] * 2)
    assert len(emails(db, ana)) == 1


def test_the_next_business_day_brings_one_reminder_from_nine_in_the_morning(runner, db):
    interview, (ana,) = make_interview()
    run(runner, ENDS + timedelta(hours=1))

    early = run(runner, at(5, 8, 59))
    morning = run(runner, at(5, 9, 0))
    afternoon = run(runner, at(5, 16))

    assert early == "Queued 0 reminders.\n"
    assert morning == "Queued 1 reminder.\n"
    assert afternoon == "Queued 0 reminders.\n"
    assert len(emails(db, ana)) == 2


def test_weekends_bring_no_reminder(runner, db):
    friday = datetime(2026, 5, 8, 15, 0, tzinfo=UTC)
    interview, (ana,) = make_interview(ends_at=friday)
    run(runner, friday + timedelta(hours=1))

    saturday, sunday = run(runner, at(9, 11)), run(runner, at(10, 11))
    monday = run(runner, at(11, 9, 30))

    assert saturday == sunday == "Queued 0 reminders.\n"
    assert monday == "Queued 1 reminder.\n"
    assert len(emails(db, ana)) == 2


def test_an_interview_ending_on_a_weekend_is_first_reminded_on_monday_morning(runner, db):
    interview, (ana,) = make_interview(ends_at=datetime(2026, 5, 9, 12, 0, tzinfo=UTC))

    saturday = run(runner, at(9, 13))
    monday_early = run(runner, at(11, 7))
    monday = run(runner, at(11, 9))

    assert (saturday, monday_early) == ("Queued 0 reminders.\n",) * 2
    assert monday == "Queued 1 reminder.\n"


def test_reminders_stop_after_the_tenth_business_day(runner, db):
    interview, (ana,) = make_interview()
    run(runner, ENDS + timedelta(hours=1))

    # Every day for three weeks, twice a day.
    for day in range(5, 26):
        run(runner, at(day, 10))
        run(runner, at(day, 17))

    sent = emails(db, ana)
    # The first reminder, then Tue 5 May to Mon 18 May: ten business days.
    assert len(sent) == 11
    assert [email.created_at.day for email in sent] == [4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 18]
    assert "This is the last reminder about this interview." in sent[-1].body
    assert all("last reminder" not in email.body for email in sent[:-1])


def test_submitting_the_scorecard_stops_the_reminders(client, auth, runner, db):
    interview, (ana,) = make_interview()
    run(runner, ENDS + timedelta(hours=1))
    with time_machine.travel(at(4, 18), tick=False):
        auth.login(user=ana)
        response = client.post(url(interview), data=complete(interview))
    assert response.status_code == 302

    output = run(runner, at(5, 10))

    assert output == "Queued 0 reminders.\n"
    assert len(emails(db, ana)) == 1


def test_a_draft_is_still_reminded_and_the_email_says_it_is_saved(runner, db):
    interview, (ana, ben) = make_interview(zones=("UTC", "UTC"))
    scorecard(interview, ana, ScorecardState.DRAFT)

    output = run(runner, ENDS + timedelta(hours=2))

    assert output == "Queued 2 reminders.\n"
    assert "Your draft is saved: it counts once you submit it." in emails(db, ana)[0].body
    assert "Your draft is saved" not in emails(db, ben)[0].body


def test_a_cancelled_interview_is_never_reminded(runner, db):
    make_interview(status=InterviewStatus.CANCELLED, cancel_reason="Candidate withdrew")

    outputs = {run(runner, ENDS + timedelta(hours=1)), run(runner, at(5, 10))}

    assert outputs == {"Queued 0 reminders.\n"}
    assert emails(db) == []


def test_interviews_still_running_or_ahead_are_not_reminded(runner, db):
    make_interview(ends_at=at(4, 18))  # two hours ahead of the run
    make_interview(ends_at=at(4, 16, 30))  # started half an hour ago

    output = run(runner, at(4, 16))

    assert output == "Queued 0 reminders.\n"
    assert emails(db) == []


def test_people_who_can_no_longer_sign_in_are_not_reminded(runner, db):
    interview, (ana, ben) = make_interview(zones=("UTC", "UTC"))
    ben.active = False
    db.session.flush()

    run(runner, ENDS + timedelta(hours=1))

    assert [email.to_email for email in emails(db)] == [ana.email]


def test_business_days_are_counted_in_each_interviewers_own_time_zone(runner, db):
    # Friday 8 May, 20:30 UTC: 16:30 on Friday in New York, 05:30 on Saturday in Tokyo.
    friday = datetime(2026, 5, 8, 20, 30, tzinfo=UTC)
    interview, (tokyo, new_york) = make_interview(
        ends_at=friday, zones=("Asia/Tokyo", "America/New_York")
    )

    run(runner, friday + timedelta(hours=1))
    assert [email.to_email for email in emails(db)] == [new_york.email]
    assert "Fri 08 May, 15:30-16:30 (New York time)" in emails(db, new_york)[0].body

    # Sunday 23:30 UTC is Monday 08:30 in Tokyo (too early) and Sunday evening in New York.
    assert run(runner, datetime(2026, 5, 10, 23, 30, tzinfo=UTC)) == "Queued 0 reminders.\n"
    # Monday 00:00 UTC is Monday 09:00 in Tokyo, still Sunday in New York.
    assert run(runner, datetime(2026, 5, 11, 0, 0, tzinfo=UTC)) == "Queued 1 reminder.\n"
    assert len(emails(db, tokyo)) == 1
    assert "Sat 09 May, 04:30-05:30 (Tokyo time)" in emails(db, tokyo)[0].body
    # Monday 13:00 UTC is Monday 09:00 in New York.
    assert run(runner, datetime(2026, 5, 11, 13, 0, tzinfo=UTC)) == "Queued 1 reminder.\n"
    assert len(emails(db, new_york)) == 2


def test_reminders_cover_every_team(runner, db):
    make_interview()
    make_interview()

    assert run(runner, ENDS + timedelta(hours=1)) == "Queued 2 reminders.\n"
    assert len({email.team_id for email in emails(db)}) == 2


def test_a_reminder_recorded_by_a_concurrent_run_cannot_be_queued_twice(runner, db):
    interview, (ana,) = make_interview()
    now = ENDS + timedelta(hours=1)
    stale = reminders.due_reminders(db.session, now)
    run(runner, now)

    with pytest.raises(IntegrityError):
        reminders.queue_reminders(db.session, stale, link_for=lambda _: "https://x", now=now)
    db.session.rollback()

    assert len(emails(db, ana)) == 1
