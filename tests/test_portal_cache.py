"""The candidate's page is kept rendered, and every change to what it shows (made by a
manager, by the candidate, in this process or another) shows on the very next request."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine

from interviewer import page_cache
from interviewer.candidates.portal_links import portal_url
from interviewer.extensions import db as _db
from interviewer.scheduling import offers
from interviewer.scheduling.models import Interview
from tests import factories, test_portal
from tests.test_portal import NOW, link

#: The portal's own fixtures: a five-step process, on its frozen clock.
process = test_portal.process
frozen_clock = test_portal.frozen_clock
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def kept(client, count_queries):
    """``kept(path)``: GET ``path`` until it comes kept (one statement), so that a change
    after it must be seen to replace the kept copy."""

    def keep(path: str) -> str:
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        assert counter.count == 1, counter.statements
        return response.get_data(as_text=True)

    return keep


def without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


def shows_fresh(app, client, path: str, before: str) -> str:
    """The page at ``path`` after a change: not the kept copy ``before``, and the same as
    the page rendered with nothing kept."""
    served = client.get(path).get_data(as_text=True)
    app.extensions[page_cache.EXTENSION].store = page_cache.MemoryStore()
    fresh = client.get(path).get_data(as_text=True)
    assert without_tokens(served) == without_tokens(fresh)
    assert without_tokens(served) != without_tokens(before)
    return served


def test_a_second_request_is_kept_in_one_statement_with_the_same_page(app, client, process, kept):
    path = link(app, process["application"])
    first = client.get(path)
    again = kept(path)
    assert without_tokens(again) == without_tokens(first.get_data(as_text=True))
    assert "Live coding" in again and "Ana" in again
    response = client.get(path)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_each_visitor_gets_their_own_csrf_token_and_it_works(
    app, client, process, kept, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    path = link(app, process["application"])
    first = set(TOKEN.findall(kept(path)))
    visitor = app.test_client()
    html = visitor.get(path).get_data(as_text=True)
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1 and "\x00" not in html and tokens != first
    chosen = visitor.post(
        f"{path}/timezone",
        data={"timezone": "Asia/Tokyo", "csrf_token": tokens.pop()},
        follow_redirects=True,
    )
    assert chosen.status_code == 200
    assert "Times are now shown in your chosen time zone." in chosen.get_data(as_text=True)
    assert "Asia/Tokyo" in visitor.get(path).get_data(as_text=True)


def test_a_rescheduled_interview_shows_on_the_next_request(app, client, db, process, kept):
    path = link(app, process["application"])
    assert "15:00" in kept(path) or "16:00" in client.get(path).get_data(as_text=True)
    live = process["live"]
    live.starts_at = live.starts_at + timedelta(days=1, hours=2)
    live.ends_at = live.ends_at + timedelta(days=1, hours=2)
    db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert "Thu" in html and "Wed" not in html.split('id="next-heading"')[1][:400]


def test_a_panel_change_and_a_renamed_candidate_show_on_the_next_request(
    app, client, db, process, kept
):
    path = link(app, process["application"])
    kept(path)
    team = process["application"].team
    factories.PanelMemberFactory(
        team=team, interview=process["live"], user=factories.UserFactory(team=team, name="Bo Kim")
    )
    db.session.commit()
    assert "Bo" in client.get(path).get_data(as_text=True)
    kept(path)
    process["application"].candidate.name = "Janet Doe"
    db.session.commit()
    assert "Hi Janet" in client.get(path).get_data(as_text=True)


def test_a_move_and_a_team_renamed_show_on_the_next_request(app, client, db, process, kept):
    path = link(app, process["application"])
    before = kept(path)
    process["application"].status = "on_hold"
    db.session.commit()
    shows_fresh(app, client, path, before)
    before = kept(path)
    process["application"].team.display_name = "Acme Renamed"
    db.session.commit()
    assert "Acme Renamed" in shows_fresh(app, client, path, before)


def test_a_cancelled_interview_leaves_the_page_at_once(app, client, db, process, kept):
    path = link(app, process["application"])
    assert 'id="next-heading"' in kept(path)
    db.session.get(Interview, process["live"].id).status = "cancelled"
    db.session.commit()
    assert 'id="next-heading"' not in client.get(path).get_data(as_text=True)


def test_a_renewed_link_or_an_erased_candidate_opens_nothing_even_when_kept(
    app, client, db, process, kept
):
    application = process["application"]
    path = link(app, application)
    kept(path)
    application.portal_generation += 1
    db.session.commit()
    assert client.get(path).status_code == 404
    path = link(app, application)
    kept(path)
    application.candidate.erased_at = NOW
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_link_past_its_end_opens_nothing_even_when_kept(app, client, db, process, kept):
    application = process["application"]
    application.status = "rejected"
    application.closed_at = NOW - timedelta(days=29, hours=23, minutes=59, seconds=30)
    db.session.commit()
    path = link(app, application)
    kept(path)
    with frozen_clock_at(NOW + timedelta(seconds=45)):
        assert client.get(path).status_code == 404


def frozen_clock_at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_page_whose_interview_begins_within_the_minute_is_not_kept(
    app, client, db, process, count_queries
):
    live = process["live"]
    live.starts_at, live.ends_at = NOW + timedelta(seconds=20), NOW + timedelta(minutes=60)
    db.session.commit()
    path = link(app, process["application"])
    client.get(path)
    with count_queries() as counter:
        client.get(path)
    assert counter.count > 1
    with frozen_clock_at(NOW + timedelta(seconds=30)):
        assert "Your next interview" in client.get(path).get_data(as_text=True)


def test_a_page_offering_times_to_book_is_never_kept(app, client, db, process, count_queries):
    application = process["application"]
    offers.make_offer(
        db.session, application, automatic_stage=process["stages"][2], actor=process["manager"]
    )
    db.session.commit()
    path = link(app, application)
    assert "Pick a time for your interview" in client.get(path).get_data(as_text=True)
    with count_queries() as counter:
        client.get(path)
    assert counter.count > 1


def test_a_visitor_with_a_message_waiting_gets_it_on_a_rendered_page(app, client, process, kept):
    path = link(app, process["application"])
    kept(path)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Thank you: we will use your times.")]
    assert "Thank you: we will use your times." in client.get(path).get_data(as_text=True)
    assert "Thank you: we will use your times." not in client.get(path).get_data(as_text=True)


# Two processes ----------------------------------------------------------------------------


def test_a_change_committed_in_one_process_shows_at_once_in_the_other(two_apps):
    first, second, teams = two_apps
    with first.app_context():
        team = factories.TeamFactory(slug=f"portal-{uuid.uuid4().hex[:8]}")
        job = factories.JobFactory(team=team, title="Backend Developer")
        stage = factories.PlanStageFactory(team=team, job=job, name="Intro call", position=1)
        application = factories.ApplicationFactory(team=team, job=job, current_stage=stage)
        interview = factories.InterviewFactory(
            team=team,
            application=application,
            plan_stage=stage,
            starts_at=NOW + timedelta(days=2),
            ends_at=NOW + timedelta(days=2, hours=1),
        )
        _db.session.commit()
        teams.append(team.id)
        with first.test_request_context():
            path = portal_url(application)
        interview_id = interview.id
        _db.session.remove()
    reader = second.test_client()
    for _ in range(2):
        assert "Your next interview" in reader.get(path).get_data(as_text=True)
    with first.app_context():
        _db.session.get(Interview, interview_id).status = "cancelled"
        _db.session.commit()
        _db.session.remove()
    assert "Your next interview" not in reader.get(path).get_data(as_text=True)
    assert "Your next interview" not in first.test_client().get(path).get_data(as_text=True)
