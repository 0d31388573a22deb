"""The retention period: candidates whose every application closed longer ago than the
team's ``retention_months`` are anonymised once a day, and admins see who goes next week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from interviewer import worker
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus
from interviewer.privacy import retention
from tests import factories
from tests.test_worker import tick

#: Wednesday 2 December 2026, 10:00 UTC.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def candidate_closed(team, closed_at, *, name=None, status=ApplicationStatus.REJECTED):
    """A candidate with one application, closed (rejected) at ``closed_at``; open with
    ``closed_at=None``."""
    application = factories.ApplicationFactory(
        team=team,
        status=status if closed_at else ApplicationStatus.ACTIVE,
        closed_at=closed_at,
        created_at=NOW - relativedelta(years=3),
        candidate__notes="Knows the founder",
        **({"candidate__name": name} if name else {}),
    )
    return application.candidate


@pytest.fixture
def team(db):
    return factories.TeamFactory()


def test_a_candidate_closed_12_months_and_a_day_ago_is_anonymised_and_others_are_not(db, team):
    old = candidate_closed(team, NOW - relativedelta(months=12) - timedelta(days=1))
    recent = candidate_closed(team, NOW - relativedelta(months=11))
    still_open = candidate_closed(team, None)
    # Another application, long closed, does not make a candidate with an open one due.
    factories.ApplicationFactory(
        team=team,
        candidate=still_open,
        status=ApplicationStatus.WITHDRAWN,
        closed_at=NOW - relativedelta(years=2),
    )
    offer = candidate_closed(team, None, status=ApplicationStatus.OFFER)
    never_applied = factories.CandidateFactory(team=team)

    with time_machine.travel(NOW, tick=False):
        erased = retention.apply_retention(db.session)

    assert erased == 1
    assert old.erased_at == NOW and old.name == f"Erased candidate #{old.id}"
    assert old.notes == ""
    for kept in (recent, still_open, offer, never_applied):
        assert kept.erased_at is None and "@" in kept.email


def test_each_anonymised_candidate_is_an_audit_event_of_the_system(db, team):
    first = candidate_closed(team, NOW - relativedelta(months=13))
    second = candidate_closed(team, NOW - relativedelta(months=20))

    retention.apply_retention(db.session, NOW)
    again = retention.apply_retention(db.session, NOW + timedelta(days=1))

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "candidate.erased").order_by(AuditEvent.id)
    ).all()
    assert again == 0
    assert sorted(e.subject_id for e in events) == sorted([first.id, second.id])
    assert all(e.actor_id is None and e.data == {"reason": "retention"} for e in events)


def test_each_team_keeps_data_as_long_as_it_chose(db, team):
    team.retention_months = 6
    other = factories.TeamFactory()
    closed = NOW - relativedelta(months=7)
    short, long = candidate_closed(team, closed), candidate_closed(other, closed)

    retention.apply_retention(db.session, NOW)

    assert short.erased_at is not None
    assert long.erased_at is None


def test_the_worker_runs_retention_daily_at_three_utc(app, db, team):
    due = candidate_closed(team, NOW - relativedelta(months=13))
    huey = worker.get_huey(app)
    afternoon = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
    night = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
    day = [datetime(2026, 12, 3, hour, minute) for hour in range(24) for minute in range(60)]

    runs = [m for m in day if "apply_retention" in {t.name for t in huey.read_periodic(m)}]
    with time_machine.travel(afternoon, tick=False):
        tick(huey, afternoon)
    untouched = due.erased_at
    with time_machine.travel(night, tick=False):
        tick(huey, night)

    assert runs == [datetime(2026, 12, 3, 3, 0)]
    assert untouched is None
    db.session.expire_all()
    assert due.erased_at == night


def test_flask_apply_retention_anonymises_without_a_worker(runner, db, team):
    due = candidate_closed(team, NOW - relativedelta(months=13))
    kept = candidate_closed(team, NOW - relativedelta(months=2))

    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(args=["apply-retention"])

    assert result.exit_code == 0, result.output
    assert "Anonymised 1 candidate past the retention period." in result.output
    db.session.expire_all()
    assert due.erased_at == NOW and kept.erased_at is None


# The Candidate data page --------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_page_lists_who_is_anonymised_in_the_next_seven_days(client, auth, db, team):
    admin = auth.login(Role.ADMIN, team=team, timezone="UTC")
    months = relativedelta(months=12)
    overdue = candidate_closed(team, NOW - months - timedelta(days=2), name="Olga Overdue")
    soon = candidate_closed(team, NOW - months + timedelta(days=3), name="Sam Soon")
    later = candidate_closed(team, NOW - months + timedelta(days=10), name="Lara Later")
    candidate_closed(team, None, name="Otto Open")

    page = client.get("/team/data").get_data(as_text=True)

    assert admin.team.retention_months == 12
    assert "Olga Overdue" in page and "Sam Soon" in page
    assert "Lara Later" not in page and "Otto Open" not in page
    assert page.index("Olga Overdue") < page.index("Sam Soon")
    # When their last application closed, and the run that anonymises them: tonight's for
    # the overdue one; for the other, the first run after it is due (5 Dec, 10:00).
    assert "30 Nov 2025" in page and "05 Dec 2025" in page
    assert soon.applications[0].closed_at == datetime(2025, 12, 5, 10, 0, tzinfo=UTC)
    assert "03 Dec 2026" in page and "06 Dec 2026" in page
    assert later.erased_at is None and overdue.erased_at is None


def test_an_admin_changes_the_retention_period(client, auth, db, team):
    admin = auth.login(Role.ADMIN, team=team)

    saved = client.post("/team/data", data={"retention_months": "24"}, follow_redirects=True)

    assert "now kept 24 months" in saved.get_data(as_text=True)
    assert team.retention_months == 24
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "team.retention_changed")
    ).all()
    assert (event.actor_id, event.data) == (admin.id, {"months_before": 12, "months": 24})


@pytest.mark.parametrize("typed", ["0", "121", "twelve", ""])
def test_a_retention_period_out_of_range_is_refused_with_a_message(client, auth, db, team, typed):
    auth.login(Role.ADMIN, team=team)

    page = client.post("/team/data", data={"retention_months": typed})

    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Enter between 1 and 120 months." in body or "Enter a number of months." in body
    assert f'value="{typed}"' in body or typed == ""
    assert team.retention_months == 12


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_see_the_candidate_data_page(client, auth, db, team, role):
    auth.login(role, team=team)

    assert client.get("/team/data").status_code == 403
    assert client.post("/team/data", data={"retention_months": "1"}).status_code == 403
    assert team.retention_months == 12


def test_the_admin_menu_links_the_candidate_data_page(client, auth, db, team):
    auth.login(Role.ADMIN, team=team)

    page = client.get("/team/audit").get_data(as_text=True)

    assert 'href="/team/data"' in page


@time_machine.travel(NOW, tick=False)
def test_the_page_runs_as_many_queries_for_30_due_candidates_as_for_3(
    client, auth, db, team, count_queries
):
    auth.login(Role.ADMIN, team=team)
    closed = NOW - relativedelta(months=13)

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/team/data").status_code == 200
        return counter.count

    for _ in range(3):
        candidate_closed(team, closed)
    few = queries()
    for _ in range(27):
        candidate_closed(team, closed)
    many = queries()

    assert few == many


def test_a_retention_period_in_words_gets_one_message_naming_the_range(client, auth, db, team):
    auth.login(Role.ADMIN, team=team)

    body = client.post("/team/data", data={"retention_months": "twelve"}).get_data(as_text=True)

    assert body.count('class="invalid-feedback') == 1
    assert "Enter between 1 and 120 months." in body
    assert "Not a valid integer value." not in body
