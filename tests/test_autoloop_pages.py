"""The "Schedule the rest" page: the options, booking one, a loop that meanwhile got taken."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import Interview
from tests import factories
from tests.test_scheduling import BERLIN, MONDAY, at, book, make_interviewer, make_plan

NOW = at(MONDAY, 6)


@pytest.fixture
def frozen(monkeypatch):
    """The page's clock at Monday 06:00 UTC."""
    from interviewer.scheduling import loop_routes

    monkeypatch.setattr(loop_routes, "utcnow", lambda: NOW)


@pytest.fixture
def loop(db, auth, frozen):
    application, stages = make_plan(stages=("Screen", "Live coding", "Final"))
    application.current_stage = stages[0]
    team = application.team
    dana = make_interviewer(team)
    sam = make_interviewer(team, name="Sam Park")
    manager = auth.login(Role.HIRING_MANAGER, team=team, timezone=BERLIN)
    return application, stages, dana, sam, manager


def page(client, application, **params):
    return client.get(f"/applications/{application.id}/loop", query_string=params)


def first_option(response) -> dict:
    """The hidden fields of the first "Book this loop" form."""
    html = response.get_data(as_text=True)
    form = html[html.index('<form method="post" action="/applications/') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_the_page_offers_three_loops_with_every_remaining_stage_ticked(client, loop):
    application, stages, dana, sam, manager = loop

    response = page(client, application)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("Book this loop") == 3
    assert html.count("checked") >= 3
    # Monday 09:00-10:00 Berlin, the first of the best loop.
    assert "Mon 17 Mar, 09:00-10:00 (Berlin time)" in html
    assert "1 day" in html


def test_the_candidates_own_time_is_shown_beside(client, loop):
    application, *_ = loop
    application.candidate.timezone = "Europe/London"

    html = page(client, application).get_data(as_text=True)

    assert "Mon 17 Mar, 08:00-09:00 (London time)" in html


def test_unticking_a_stage_and_another_zone(client, loop):
    application, stages, *_ = loop

    html = page(client, application, stage=[stages[0].id, stages[1].id], zone="UTC").get_data(
        as_text=True
    )

    assert "Final · " not in html
    assert "Mon 17 Mar, 08:00-09:00 (UTC)" in html


def test_booking_a_loop_books_every_stage_and_queues_the_emails(client, db, loop):
    application, stages, dana, sam, manager = loop
    fields = first_option(page(client, application))

    response = client.post(f"/applications/{application.id}/loop", data=fields)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/candidates/{application.candidate_id}")
    interviews = db.session.scalars(
        select(Interview)
        .where(Interview.application_id == application.id)
        .order_by(Interview.starts_at)
    ).all()
    assert [i.plan_stage.name for i in interviews] == ["Screen", "Live coding", "Final"]
    emails = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.interview_id.in_([i.id for i in interviews]))
    ).all()
    assert len(emails) == 6  # the panel member and the candidate, per interview
    followed = client.get(response.headers["Location"])
    assert "3 interviews booked for Ana Costa" in followed.get_data(as_text=True)


def test_a_loop_taken_meanwhile_books_nothing_and_offers_fresh_ones(client, db, loop):
    application, stages, dana, sam, manager = loop
    fields = first_option(page(client, application))
    # Meanwhile a colleague books Dana and Sam for Monday 10:00-14:00 elsewhere.
    for person in (dana, sam):
        other, (first, _second) = make_plan(team=application.team, duration=240)
        book(db, other, first, at(MONDAY, 10), [person], now=NOW)

    response = client.post(f"/applications/{application.id}/loop", data=fields)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "cannot be booked any more, so nothing was booked" in html
    assert html.count("Book this loop") == 3
    assert (
        db.session.scalars(
            select(Interview).where(Interview.application_id == application.id)
        ).all()
        == []
    )


def test_a_forged_option_is_refused_kindly(client, db, loop):
    application, stages, dana, *_ = loop
    stranger = factories.UserFactory(name="Stranger")
    fields = first_option(page(client, application))
    fields["loop"] = f"{stages[0].id}|{at(MONDAY, 8).isoformat()}|{stranger.id}"

    response = client.post(f"/applications/{application.id}/loop", data=fields)

    assert "could not be read" in response.get_data(as_text=True)
    assert db.session.scalars(select(Interview)).all() == []


def test_nothing_fits_says_what_to_do(client, db, auth, frozen):
    application, stages = make_plan()
    auth.login(Role.HIRING_MANAGER, team=application.team)

    html = page(client, application).get_data(as_text=True)

    assert "No complete loop fits in the next two weeks" in html
    assert "add interviewers to the" in html


def test_another_teams_application_is_not_found_and_interviewers_are_refused(client, auth, frozen):
    application, stages = make_plan()
    auth.login(Role.HIRING_MANAGER)
    assert page(client, application).status_code == 404
    auth.logout()
    auth.login(Role.INTERVIEWER, team=application.team)
    assert page(client, application).status_code in (403, 404)


def test_the_candidate_page_links_to_the_loop(client, loop):
    application, *_ = loop

    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)

    assert f"/applications/{application.id}/loop" in html
    assert "Schedule the rest" in html


def test_the_page_runs_a_fixed_number_of_queries(client, db, loop, count_queries):
    application, *_ = loop
    page(client, application)
    with count_queries() as few:
        page(client, application)
    for n in range(4):
        person = make_interviewer(application.team, name=f"More {n}")
        other, (first, _second) = make_plan(team=application.team)
        book(db, other, first, at(MONDAY + timedelta(days=1), 8 + n), [person], now=NOW)
    db.session.flush()
    with count_queries() as many:
        page(client, application)

    assert many.count == few.count


def test_with_every_stage_booked_the_page_says_nothing_is_left(client, db, loop):
    application, stages, dana, sam, manager = loop
    client.post(
        f"/applications/{application.id}/loop", data=first_option(page(client, application))
    )

    html = page(client, application).get_data(as_text=True)

    assert "Nothing is left to schedule" in html
    assert "No complete loop fits" not in html and "Book this loop" not in html
