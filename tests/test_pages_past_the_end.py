"""A page number beyond the last page of a list says so and links to the last page, rather
than saying the list is empty."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from tests import factories


@pytest.fixture
def admin(app, auth, monkeypatch):
    # Two rows a page: three rows make two pages.
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    return auth.login(Role.ADMIN)


def three_of_each(db, admin) -> None:
    """Three candidates, open jobs, members (with the admin) and events, and three emails."""
    team = admin.team
    for number in range(3):
        factories.CandidateFactory(team=team, name=f"Candidate {number}")
        factories.JobFactory(team=team)
        factories.AuditEventFactory(team=team, actor=admin)
        db.session.add(
            OutboxEmail(team_id=team.id, to_email=f"c{number}@example.org", subject="Hi", body=".")
        )
    factories.UserFactory.create_batch(2, team=team)
    db.session.flush()


LISTS = {
    "/candidates/": "No candidates yet",
    "/jobs": "No jobs yet",
    "/dashboard": "No open or draft jobs yet",
    "/team/users": None,
    "/team/audit": "Nothing is recorded yet",
    "/admin/outbox": "No email yet",
}


@pytest.mark.parametrize("path", LISTS)
def test_a_page_past_the_end_says_so_and_links_to_the_last_page(client, db, admin, path):
    three_of_each(db, admin)

    response = client.get(path, query_string={"page": 999})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Page 999 is past the end: the list has 2 pages." in html
    link = re.search(r'<a href="([^"]*)">Go to the last page \(2\)</a>', html)
    assert link and "page=2" in link.group(1) and link.group(1).startswith(path.rstrip("/"))
    if LISTS[path]:
        assert LISTS[path] not in html
    last = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "past the end" not in last


def test_the_link_to_the_last_page_keeps_the_filters(client, db, admin):
    three_of_each(db, admin)

    html = client.get("/jobs?status=open&page=5").get_data(as_text=True)

    assert "Page 5 is past the end: the list has 2 pages." in html
    assert re.search(r'href="/jobs\?[^"]*status=open', html.split("past the end")[1])


def test_an_empty_list_still_says_it_is_empty(client, db, admin):
    html = client.get("/candidates/?page=3").get_data(as_text=True)

    assert "No candidates yet" in html
    assert "past the end" not in html


def test_my_interviews_past_the_end_says_so_and_links_back_to_the_most_recent(
    client, db, app, auth, monkeypatch
):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    interviewer = auth.login(Role.INTERVIEWER)
    for days in (3, 4, 5):
        starts = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days)
        interview = factories.InterviewFactory(team=interviewer.team, starts_at=starts)
        factories.PanelMemberFactory(team=interviewer.team, interview=interview, user=interviewer)
    db.session.flush()
    oldest = datetime.now(UTC) - timedelta(days=30)

    # My interviews goes on from the last interview shown, not by page number.
    cursor = f"{(oldest - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)}-1"
    html = client.get(f"/my-interviews?overdue_before={cursor}").get_data(as_text=True)

    assert "No older overdue scorecards." in html
    assert 'href="/my-interviews"' in html
    # An old link with a page number shows the most recent interviews.
    html = client.get("/my-interviews?page=40").get_data(as_text=True)
    assert html.count("interview-item") == 2
    assert "past the end" not in html
