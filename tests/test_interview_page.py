"""The interview page: its kit, the viewer's own scorecard, whether it took place, and the
candidate's links and CV for the panel."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from interviewer.auth.models import Role
from interviewer.scorecards.models import ScorecardState
from tests import factories
from tests.test_scheduling import MONDAY, NOW, at, book, make_interviewer, make_plan


def _page(client, interview) -> str:
    response = client.get(f"/interviews/{interview.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _href(page: str, text: str) -> str:
    found = re.search(r'<a href="([^"]+)"[^>]*>' + re.escape(text) + "</a>", page)
    assert found, f"no link {text!r}"
    return found.group(1)


def _booked(db):
    application, (screen, _live) = make_plan()
    dana = make_interviewer(application.team)
    with time_machine.travel(NOW, tick=False):
        interview = book(db, application, screen, at(MONDAY, 9), [dana])
    return application, screen, interview, dana


def test_the_panel_opens_the_kit_and_their_own_scorecard_from_the_interview_page(client, db, auth):
    application, screen, interview, dana = _booked(db)
    with time_machine.travel(at(MONDAY, 8), tick=False):
        auth.login(user=dana)
        page = _page(client, interview)
        kit = _href(page, "Open the kit")
        assert kit.startswith(f"/jobs/{application.job_id}/plan/stages/{screen.id}/kit")
        assert client.get(kit).status_code == 200
        assert "Yours opens when the interview starts" in page
        assert "Write your scorecard" not in page
        assert ">Upcoming<" in page

    with time_machine.travel(at(MONDAY, 11), tick=False):
        auth.login(user=dana)
        page = _page(client, interview)
        assert _href(page, "Write your scorecard") == f"/interviews/{interview.id}/scorecard"
        assert client.get(f"/interviews/{interview.id}/scorecard").status_code == 200
        card = factories.ScorecardFactory(
            team=application.team, interview=interview, interviewer=dana
        )
        db.session.flush()
        assert "Continue your scorecard" in _page(client, interview)
        card.state = ScorecardState.SUBMITTED
        db.session.flush()
        page = _page(client, interview)
        assert _href(page, "View your scorecard") == f"/interviews/{interview.id}/scorecard"
        assert "Submitted" in page


def test_a_past_interview_reads_took_place_not_scheduled(client, db, auth):
    _application, _screen, interview, dana = _booked(db)
    with time_machine.travel(at(MONDAY, 11), tick=False):
        auth.login(user=dana)
        page = _page(client, interview)

    assert ">Took place<" in page
    assert "Scheduled" not in page


def test_a_manager_off_the_panel_gets_the_applications_scorecards(client, db, auth):
    application, _screen, interview, _dana = _booked(db)
    manager = factories.UserFactory(team=application.team, role=Role.HIRING_MANAGER)

    with time_machine.travel(at(MONDAY, 11), tick=False):
        auth.login(user=manager)
        page = _page(client, interview)

    url = _href(page, "Scorecards of this application")
    assert url == f"/applications/{application.id}/scorecards#interview-{interview.id}"
    assert "your scorecard" not in page.lower()


def test_the_panel_sees_the_candidates_links(client, db, auth):
    # The CV link beside them: tests/test_cv_access.py; blind review hides both there.
    application, _screen, interview, dana = _booked(db)
    application.candidate.links = "https://github.com/ada-example\nportfolio on request"
    db.session.flush()
    with time_machine.travel(at(MONDAY - timedelta(days=1), 9), tick=False):
        auth.login(user=dana)
        page = _page(client, interview)

    assert "Candidate's links" in page
    assert _href(page, "https://github.com/ada-example") == "https://github.com/ada-example"
    assert '<li class="text-break">portfolio on request</li>' in page
