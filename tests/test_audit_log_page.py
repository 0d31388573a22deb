"""The audit log page: the team's events newest first, filtered by person, kind and days in
the admin's time zone, paginated in a bounded number of queries; admins only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from interviewer import audit
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from tests import factories

MINUTE = timedelta(minutes=1)


@pytest.fixture
def admin(auth, db):
    user = auth.login(Role.ADMIN, name="Ada Admin", timezone="Europe/Berlin")
    # Only the events each test makes (signing in may be recorded too).
    db.session.execute(delete(AuditEvent).where(AuditEvent.team_id == user.team_id))
    return user


def event(db, team, action, subject, actor=None, at=None, **data):
    row = audit.record(
        db.session, team_id=team.id, actor=actor, action=action, subject=subject, **data
    )
    if at is not None:
        row.created_at = at
    db.session.flush()
    return row


def lines(html: str) -> list[str]:
    """The events' headings, in page order."""
    return re.findall(r'<span class="fw-semibold">([^<]+)</span>', html)


def test_events_are_told_in_words_newest_first(client, db, admin):
    cole = factories.UserFactory(team=admin.team, name="Cole Colleague")
    event(
        db,
        admin.team,
        "user.role_changed",
        cole,
        admin,
        datetime(2026, 3, 1, tzinfo=UTC),
        **{"from": "interviewer", "to": "admin"},
    )
    event(
        db,
        admin.team,
        "application.windows_proposed",
        admin.team,
        at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    event(db, admin.team, "kit_version.used", admin.team, at=datetime(2026, 3, 3, tzinfo=UTC))
    event(db, admin.team, "widget.polished", admin.team, at=datetime(2026, 3, 3, 1, tzinfo=UTC))
    event(db, factories.TeamFactory(), "user.signed_in", cole, at=datetime(2026, 3, 4, tzinfo=UTC))

    html = client.get("/team/audit").get_data(as_text=True)

    assert lines(html) == [
        "Widget: polished",
        "Interview kit fixed by its first interview",
        "Availability proposed by the candidate",
        "Role changed",
    ]
    assert "User: Cole Colleague" in html
    assert "by Ada Admin" in html and "by Candidate" in html and "by System" in html
    assert 'from: <span class="text-body">interviewer</span>' in html
    # In the admin's zone: midnight UTC is 01:00 in Berlin.
    assert "01 Mar 2026, 01:00 CET" in html


def test_filters_by_person_kind_and_days(client, db, admin):
    cole = factories.UserFactory(team=admin.team, name="Cole Colleague")
    late_evening = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March, 00:30 in Berlin
    event(db, admin.team, "user.signed_in", admin, admin, datetime(2026, 3, 1, 9, tzinfo=UTC))
    event(db, admin.team, "user.signed_in", cole, cole, late_evening)
    event(db, admin.team, "invitation.sent", admin, admin, datetime(2026, 3, 5, tzinfo=UTC))
    event(db, admin.team, "job.created", admin, None, datetime(2026, 3, 6, tzinfo=UTC))

    def shown(query):
        return lines(client.get(f"/team/audit?{query}").get_data(as_text=True))

    assert shown(f"person={cole.id}") == ["Signed in"]
    assert shown("person=0") == ["Job created"]
    assert shown("kind=accounts") == ["Signed in", "Signed in"]
    assert shown("kind=invitation.sent") == ["Invitation sent"]
    assert shown("from=2026-03-02&to=2026-03-05") == ["Invitation sent", "Signed in"]
    assert shown("to=2026-03-01") == ["Signed in"]
    assert shown(f"person={admin.id}&kind=accounts&from=2026-03-01&to=2026-03-01") == ["Signed in"]
    # Dates the wrong way round are swapped, and said so.
    html = client.get("/team/audit?from=2026-03-05&to=2026-03-02").get_data(as_text=True)
    assert lines(html) == ["Invitation sent", "Signed in"]
    assert "the dates were swapped" in html


@pytest.mark.parametrize(
    "query",
    [
        "person=abc",
        "person=99999999999",
        "kind=drop table",
        "from=yesterday",
        "from=0001-01-01",
        "to=9999-12-31",
        "page=-4",
        "page=99999",
    ],
)
def test_odd_filters_are_left_out_never_a_server_error(client, db, admin, query):
    event(db, admin.team, "user.signed_in", admin, admin)

    response = client.get(f"/team/audit?{query}")

    assert response.status_code == 200


def test_another_teams_person_filter_shows_nothing_of_theirs(client, db, admin):
    stranger = factories.UserFactory(name="Zed Stranger")
    event(db, stranger.team, "user.signed_in", stranger, stranger)

    html = client.get(f"/team/audit?person={stranger.id}").get_data(as_text=True)

    assert "Zed Stranger" not in html
    assert "No event matches these filters" in html


def test_an_empty_log_says_what_will_appear(client, db, admin):
    html = client.get("/team/audit").get_data(as_text=True)

    assert "Nothing is recorded yet" in html


def test_pages_keep_the_filters_and_cost_the_same_queries(
    app, client, db, admin, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "PER_PAGE", 10)

    def count(events: int) -> int:
        for _ in range(events):
            person = factories.UserFactory(team=admin.team)
            event(db, admin.team, "user.role_changed", person, person, **{"from": "a", "to": "b"})
        with count_queries() as counter:
            assert client.get("/team/audit?kind=accounts").status_code == 200
        return counter.count

    assert count(3) == count(30)
    html = client.get("/team/audit?kind=accounts&page=2").get_data(as_text=True)
    assert len(lines(html)) == 10
    assert "kind=accounts&amp;page=3" in html or "page=3&amp;kind=accounts" in html


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_read_the_audit_log(client, db, auth, role):
    auth.login(role)

    assert client.get("/team/audit").status_code == 403


def test_a_failed_sign_in_is_told_with_the_account_and_the_address(app, client, db, admin):
    cole = factories.UserFactory(team=admin.team, name="Cole Colleague")
    app.test_client().post(
        "/login",
        data={"email": cole.email, "password": "not the password"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )

    html = client.get("/team/audit").get_data(as_text=True)

    assert "Sign-in failed" in html and "User: Cole Colleague" in html
    assert "by Someone signed out" in html and "203.0.113.9" in html


def test_next_and_previous_walk_every_event_once_newest_first(
    app, client, db, admin, monkeypatch, count_queries
):
    monkeypatch.setitem(app.config, "PER_PAGE", 4)
    moment = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for number in range(10):
        person = factories.UserFactory(team=admin.team, name=f"Person {number:02}")
        # Two events a minute: the id orders those that share a time.
        event(db, admin.team, "user.deactivated", person, admin, at=moment + (number // 2) * MINUTE)

    subjects, counts, path = [], [], "/team/audit"
    while path and len(counts) < 5:
        with count_queries() as counter:
            html = client.get(path).get_data(as_text=True)
        counts.append(counter.count)
        subjects += re.findall(r"User: (Person \d+)", html)
        last = html
        found = re.search(r'href="([^"#]+)">Next</a>', html)
        path = found.group(1).replace("&amp;", "&") if found else None
    back = re.search(r'href="([^"#]+)">Previous</a>', last).group(1).replace("&amp;", "&")

    assert subjects == [f"Person {number:02}" for number in reversed(range(10))]
    assert len(set(counts)) == 1 and len(counts) == 3
    assert "Page 3 of 3" in last
    assert re.findall(r"User: (Person \d+)", client.get(back).get_data(as_text=True)) == [
        f"Person {number:02}" for number in (5, 4, 3, 2)
    ]
