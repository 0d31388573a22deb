"""The candidate portal: a private link that shows the whole process and nothing internal,
and that stops working when revoked, tampered with or expired."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
import vobject
from flask import url_for
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus
from interviewer.candidates.portal_links import make_token, portal_url
from interviewer.scheduling.models import CandidateWindow, InterviewStatus
from tests import factories

NOW = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)  # a Monday

STAGES = [
    ("screen", "Screen", "Intro call", "A relaxed chat about you and the role."),
    ("live_coding", "Live coding", "Live coding", "Pair with us on a small API change."),
    ("whiteboard", "Whiteboard", "Data modelling", "Sketch tables for an order system."),
    ("system_design", "System design", "System design", "Design a URL shortener together."),
    ("final", "Final", "Meet the team", "Coffee with the people you would work with."),
]

INTERNAL = {
    "takeaways": "Rambled about caching; weak on indexes",
    "evidence": "Missed the N+1 query entirely",
    "candidate_note": "Asked for a salary above the band",
    "decision": "Panel split; revisit after the final",
}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def process(db):
    """Jane is at live coding of a five-step plan: the screen is done and scored, live
    coding is booked for Wednesday 15:00 UTC with Ana Lopez."""
    team = factories.TeamFactory(name="Acme Robotics")
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    job = factories.JobFactory(team=team, title="Senior Backend Developer", hiring_manager=manager)
    stages = []
    for position, (key, type_name, name, expect) in enumerate(STAGES, start=1):
        stage = factories.PlanStageFactory(
            team=team,
            job=job,
            stage_type=factories.StageTypeFactory(team=team, key=key, name=type_name),
            name=name,
            position=position,
            duration_minutes=30 if key == "screen" else 60,
        )
        factories.KitVersionFactory(team=team, plan_stage=stage, what_to_expect=expect)
        stages.append(stage)
    candidate = factories.CandidateFactory(
        team=team,
        name="Jane Doe",
        email="jane@example.org",
        notes=INTERNAL["candidate_note"],
        timezone="Europe/Berlin",
    )
    application = factories.ApplicationFactory(
        team=team, job=job, candidate=candidate, current_stage=stages[1]
    )
    ana = factories.UserFactory(team=team, name="Ana Lopez", email="ana@acme.example.com")
    screen = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=stages[0],
        starts_at=NOW - timedelta(days=5),
        ends_at=NOW - timedelta(days=5) + timedelta(minutes=30),
    )
    factories.PanelMemberFactory(team=team, interview=screen, user=ana)
    scorecard = factories.ScorecardFactory(
        team=team, interview=screen, interviewer=ana, key_takeaways=INTERNAL["takeaways"]
    )
    factories.RatingFactory(team=team, scorecard=scorecard, evidence=INTERNAL["evidence"], score=2)
    factories.DecisionFactory(team=team, application=application, rationale=INTERNAL["decision"])
    starts = datetime(2031, 3, 5, 15, 0, tzinfo=UTC)
    live = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=stages[1],
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        video_url="https://meet.example.com/jane",
    )
    factories.PanelMemberFactory(team=team, interview=live, user=ana)
    other = factories.ApplicationFactory(
        team=team, job=job, candidate=factories.CandidateFactory(team=team, name="Zed Other")
    )
    db.session.commit()
    return {
        "application": application,
        "stages": stages,
        "live": live,
        "screen": screen,
        "manager": manager,
        "ana": ana,
        "other": other,
    }


def link(app, application) -> str:
    with app.test_request_context():
        return portal_url(application)


def token_of(app, application) -> str:
    with app.app_context():
        return make_token(application)


def page(client, app, application):
    response = client.get(link(app, application))
    return response, response.get_data(as_text=True)


def test_the_portal_shows_the_job_the_steps_the_counts_and_what_to_expect(app, client, process):
    response, html = page(client, app, process["application"])

    assert response.status_code == 200
    assert "Acme Robotics" in html and "Senior Backend Developer" in html
    assert "You&#39;re in the process: next is Live coding." in html
    for _key, type_name, name, expect in STAGES:
        assert name in html and type_name in html and expect in html
    states = re.findall(r'data-state="(\w+)"', html)
    assert states == ["done", "next", "remaining", "remaining", "remaining"]
    assert "5 steps" in html
    assert "1 live-coding session" in html and "1 whiteboard session" in html
    assert "3 steps before the final round" in html
    assert "30 min" in html and "60 min" in html


def states_and_status(client, app, application):
    _response, html = page(client, app, application)
    status = re.search(r'data-testid="status">([^<]*)<', html).group(1)
    return re.findall(r'data-state="(\w+)"', html), status.replace("&#39;", "'")


def test_advanced_before_the_earlier_interview_the_next_step_is_that_interview(
    app, client, db, process
):
    # The manager moved Jane to live coding while her intro call is still to come.
    screen = process["screen"]
    screen.starts_at = NOW + timedelta(days=1)
    screen.ends_at = screen.starts_at + timedelta(minutes=30)
    db.session.commit()

    states, status = states_and_status(client, app, process["application"])

    assert states == ["next", "remaining", "remaining", "remaining", "remaining"]
    assert status == "You're in the process: next is Intro call."


def test_a_stage_whose_interview_took_place_is_done_and_the_next_one_is_next(
    app, client, db, process
):
    live = process["live"]
    live.starts_at = NOW - timedelta(hours=3)
    live.ends_at = NOW - timedelta(hours=2)
    db.session.commit()

    states, status = states_and_status(client, app, process["application"])

    # Still at live coding (no decision yet), but its interview is over.
    assert states == ["done", "done", "next", "remaining", "remaining"]
    assert status == (
        "You're in the process: next is Data modelling. We will be in touch to schedule it."
    )


def test_stages_moved_past_without_an_interview_are_skipped_and_the_current_one_is_next(
    app, client, db, process
):
    application = process["application"]
    for interview in (process["screen"], process["live"]):
        interview.status = InterviewStatus.CANCELLED
    application.current_stage = process["stages"][2]
    db.session.commit()

    states, status = states_and_status(client, app, application)

    assert states == ["skipped", "skipped", "next", "remaining", "remaining"]
    assert status.startswith("You're in the process: next is Data modelling.")
    _response, html = page(client, app, application)
    assert html.count(">Skipped</span>") == 2
    assert ">Done</span>" not in html
    # Skipped steps are behind the candidate: data modelling and system design, then final.
    assert "2 steps before the final round" in html


def test_a_stage_held_then_moved_past_is_done_and_one_never_held_is_skipped(
    app, client, db, process
):
    # The intro call took place; live coding was cancelled and the manager moved Jane on.
    application = process["application"]
    process["live"].status = InterviewStatus.CANCELLED
    application.current_stage = process["stages"][2]
    db.session.commit()

    _response, html = page(client, app, application)

    assert re.findall(r'data-state="(\w+)"', html)[:3] == ["done", "skipped", "next"]
    assert html.count(">Done</span>") == 1 and html.count(">Skipped</span>") == 1


def test_a_later_stage_booked_before_the_current_one_is_next(app, client, db, process):
    # Jane moved past the intro call (held by phone); the system design is booked first.
    application = process["application"]
    process["screen"].status = InterviewStatus.CANCELLED
    process["live"].plan_stage = process["stages"][3]
    application.current_stage = process["stages"][1]
    db.session.commit()

    states, status = states_and_status(client, app, application)

    assert states == ["skipped", "remaining", "remaining", "next", "remaining"]
    assert status == "You're in the process: next is System design."


def test_the_next_interview_is_shown_in_the_candidates_zone_with_its_calendar_file(
    app, client, process
):
    _response, html = page(client, app, process["application"])

    # 15:00 UTC is 16:00 in Berlin, the candidate's own zone.
    assert "Wed 05 Mar, 16:00-17:00 (Berlin time)" in html
    assert "with Ana" in html
    assert "Lopez" not in html
    assert "https://meet.example.com/jane" in html
    token = token_of(app, process["application"])
    assert f"/portal/{token}/interviews/{process['live'].id}.ics" in html


def test_the_portal_never_shows_scores_notes_exit_reasons_or_other_candidates(
    app, client, db, process
):
    _response, html = page(client, app, process["application"])

    for text in INTERNAL.values():
        assert text not in html
    assert "Zed Other" not in html
    assert "ana@acme.example.com" not in html
    assert "Strong no" not in html and "recommendation" not in html.lower()


def test_a_rejected_candidate_reads_a_respectful_message_without_the_reason(
    app, client, db, process
):
    application = process["application"]
    application.status = ApplicationStatus.REJECTED
    application.exit_reason = "Not enough depth in databases"
    application.exit_note = "Kenji was stronger on system design"
    application.closed_at = NOW - timedelta(days=1)
    db.session.commit()

    response, html = page(client, app, application)

    assert response.status_code == 200
    assert "decided not to move forward" in html
    assert "Thank you" in html
    assert "Not enough depth" not in html and "Kenji" not in html
    assert "Your next interview" not in html
    assert 'id="availability"' not in html
    for text in INTERNAL.values():
        assert text not in html


def test_a_tampered_link_is_not_found(app, client, process):
    url = link(app, process["application"])

    response = client.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB"))

    assert response.status_code == 404
    assert "no longer valid" in response.get_data(as_text=True)
    assert client.get("/portal/not-a-token").status_code == 404


def test_a_link_signed_with_another_secret_is_not_found(app, client, process):
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("guessed-secret", salt="interviewer.portal-link").dumps(
        [process["application"].id, 1]
    )

    assert client.get(f"/portal/{forged}").status_code == 404


def test_a_manager_renews_the_link_and_the_old_one_stops_working(app, client, auth, db, process):
    application = process["application"]
    old = link(app, application)
    auth.login(user=process["manager"])

    response = client.post(f"/applications/{application.id}/portal-link", follow_redirects=True)

    db.session.refresh(application)
    new = link(app, application)
    assert new != old
    assert new in response.get_data(as_text=True)
    auth.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_only_the_teams_managers_can_renew_a_link(client, auth, process):
    application = process["application"]

    auth.login(user=process["ana"])
    assert client.post(f"/applications/{application.id}/portal-link").status_code == 403
    auth.logout()
    auth.login(Role.HIRING_MANAGER)
    assert client.post(f"/applications/{application.id}/portal-link").status_code == 404


def test_the_link_expires_thirty_days_after_the_application_closes(app, client, db, process):
    application = process["application"]
    application.status = ApplicationStatus.WITHDRAWN
    application.closed_at = NOW - timedelta(days=29)
    db.session.commit()
    url = link(app, application)

    assert client.get(url).status_code == 200

    application.closed_at = NOW - timedelta(days=31)
    db.session.commit()

    response = client.get(url)
    assert response.status_code == 404
    assert "contact your recruiter" in response.get_data(as_text=True)


def test_without_a_zone_of_their_own_the_candidate_reads_times_in_the_teams_zone(
    app, client, db, process
):
    application = process["application"]
    application.candidate.timezone = None
    application.team.timezone = "Asia/Tokyo"
    db.session.commit()

    _response, html = page(client, app, application)

    # 15:00 UTC is midnight in Tokyo.
    assert "Thu 06 Mar, 00:00-01:00 (Tokyo time)" in html
    assert '<option value="Asia/Tokyo" selected>' in html


def test_the_zone_set_on_the_candidate_form_is_the_portals_default(app, client, auth, db, process):
    application = process["application"]
    application.team.timezone = "Asia/Tokyo"
    db.session.commit()
    auth.login(user=process["manager"])
    candidate = application.candidate

    client.post(
        f"/candidates/{candidate.id}/edit",
        data={"name": candidate.name, "email": candidate.email, "timezone": "America/Chicago"},
    )
    auth.logout()
    _response, html = page(client, app, application)

    assert "Wed 05 Mar, 09:00-10:00 (Chicago time)" in html


def test_the_chosen_time_zone_is_remembered(app, client, db, process):
    application = process["application"]
    url = link(app, application)

    response = client.post(f"{url}/timezone", data={"timezone": "America/New_York"})

    assert response.status_code == 302
    db.session.refresh(application)
    assert application.portal_timezone == "America/New_York"
    html = client.get(url).get_data(as_text=True)
    assert "Wed 05 Mar, 10:00-11:00 (New York time)" in html
    assert '<option value="America/New_York" selected>' in html


def test_an_unknown_time_zone_is_refused_next_to_the_field(app, client, db, process):
    url = link(app, process["application"])

    response = client.post(f"{url}/timezone", data={"timezone": "Mars/Olympus"})

    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    db.session.refresh(process["application"])
    assert process["application"].portal_timezone is None


def test_the_candidate_proposes_windows_for_the_next_stage_in_their_zone(app, client, db, process):
    application = process["application"]
    # Live coding is over; whiteboard is next and not booked yet.
    application.current_stage = process["stages"][2]
    process["live"].starts_at = NOW - timedelta(days=1, hours=1)
    process["live"].ends_at = NOW - timedelta(days=1)
    db.session.commit()
    url = link(app, application)
    html = client.get(url).get_data(as_text=True)
    assert "When could you do Data modelling?" in html

    response = client.post(
        f"{url}/windows",
        data={
            "windows-0-day": "2031-03-10",
            "windows-0-start": "09:00",
            "windows-0-end": "12:00",
            "windows-1-day": "2031-03-11",
            "windows-1-start": "14:00",
            "windows-1-end": "17:30",
        },
    )

    assert response.status_code == 302
    windows = db.session.scalars(
        select(CandidateWindow)
        .where(CandidateWindow.application_id == application.id)
        .order_by(CandidateWindow.starts_at)
    ).all()
    # Berlin is UTC+1 in early March.
    assert [(w.starts_at, w.ends_at) for w in windows] == [
        (datetime(2031, 3, 10, 8, 0, tzinfo=UTC), datetime(2031, 3, 10, 11, 0, tzinfo=UTC)),
        (datetime(2031, 3, 11, 13, 0, tzinfo=UTC), datetime(2031, 3, 11, 16, 30, tzinfo=UTC)),
    ]
    assert "Mon 10 Mar, 09:00-12:00 (Berlin time)" in client.get(url).get_data(as_text=True)


def test_a_window_that_ends_before_it_starts_is_refused_and_nothing_is_saved(
    app, client, db, process
):
    application = process["application"]
    application.current_stage = process["stages"][2]
    process["live"].starts_at = NOW - timedelta(days=1, hours=1)
    process["live"].ends_at = NOW - timedelta(days=1)
    db.session.commit()

    response = client.post(
        f"{link(app, application)}/windows",
        data={"windows-0-day": "2031-03-10", "windows-0-start": "12:00", "windows-0-end": "09:00"},
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "End after the start time." in html
    assert 'value="2031-03-10"' in html
    assert db.session.scalars(select(CandidateWindow)).all() == []


def test_no_window_form_while_the_next_stage_is_booked(app, client, process):
    _response, html = page(client, app, process["application"])

    assert 'id="availability"' not in html


def test_the_candidate_downloads_their_own_calendar_file_only(app, client, db, process):
    url = link(app, process["application"])

    response = client.get(f"{url}/interviews/{process['live'].id}.ics")

    assert response.status_code == 200
    calendar = vobject.readOne(response.data.decode())
    event = calendar.vevent
    assert calendar.method.value == "REQUEST"
    assert event.uid.value == process["live"].uid
    assert event.dtstart.value.astimezone(UTC) == process["live"].starts_at
    assert [a.value.lower() for a in event.attendee_list] == ["mailto:jane@example.org"]
    assert event.summary.value == "Live coding interview: Senior Backend Developer"
    assert "Jane Doe" not in event.summary.value
    someone_else = factories.InterviewFactory(
        team=process["other"].team,
        application=process["other"],
        plan_stage=process["stages"][1],
    )
    db.session.commit()
    assert client.get(f"{url}/interviews/{someone_else.id}.ics").status_code == 404


def test_portal_pages_keep_the_link_out_of_referrers_and_caches(app, client, process):
    response, _html = page(client, app, process["application"])

    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_portal_takes_the_same_number_of_queries_for_short_and_long_plans(
    app, client, db, process, count_queries
):
    application = process["application"]
    url = link(app, application)
    with count_queries() as short:
        assert client.get(url).status_code == 200
    for n in range(6):
        stage = factories.PlanStageFactory(
            team=application.team,
            job=application.job,
            stage_type=process["stages"][2].stage_type,
            name=f"Extra {n}",
            position=10 + n,
        )
        factories.KitVersionFactory(team=application.team, plan_stage=stage)
        interview = factories.InterviewFactory(
            team=application.team,
            application=application,
            plan_stage=stage,
            starts_at=NOW + timedelta(days=10 + n),
            ends_at=NOW + timedelta(days=10 + n, hours=1),
        )
        factories.PanelMemberFactory(team=application.team, interview=interview)
    db.session.commit()
    with count_queries() as long:
        html = client.get(url).get_data(as_text=True)

    assert "Extra 5" in html
    assert long.count == short.count


def test_an_absolute_link_can_be_made_outside_a_request(app, process, monkeypatch):
    monkeypatch.setitem(app.config, "APP_URL", "https://hire.example.com")
    with app.app_context():
        url = portal_url(process["application"], external=True)

    assert url == f"https://hire.example.com/portal/{token_of(app, process['application'])}"


def test_the_portal_url_helper_is_available_in_templates(app, process):
    with app.test_request_context():
        rendered = app.jinja_env.from_string("{{ portal_url(a) }}").render(a=process["application"])
        assert rendered == url_for("portal.show", token=make_token(process["application"]))


def test_windows_must_fit_the_time_of_day_fields(app, client, db, process):
    application = process["application"]
    application.current_stage = process["stages"][2]
    process["live"].starts_at = NOW - timedelta(days=1, hours=1)
    process["live"].ends_at = NOW - timedelta(days=1)
    db.session.commit()

    response = client.post(
        f"{link(app, application)}/windows",
        data={"windows-0-day": "2031-03-10", "windows-0-start": "09:00"},
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Fill this in too, or clear the row." in html
    # The row is kept for the candidate to finish.
    assert 'value="09:00"' in html


def test_the_portal_counts_the_process_in_the_careers_pages_words(app, client, db, process):
    # No whiteboard round: both pages say "0 whiteboard sessions" (not "No whiteboard", nor
    # "whiteboard interviews" on one and "sessions" on the other).
    application = process["application"]
    whiteboard = process["stages"][2]
    whiteboard.stage_type = process["stages"][3].stage_type
    db.session.commit()

    _response, portal = page(client, app, application)
    careers = client.get(f"/careers/{application.team.slug}/{application.job.slug}")
    numbers = careers.get_data(as_text=True).split('aria-label="The process in numbers"')[1]
    numbers = numbers.split("</ul>")[0]

    assert careers.status_code == 200
    for count, words in (("1", "live-coding session"), ("0", "whiteboard sessions")):
        assert f"{count} {words}<" in portal
        assert f'{count}</span><span class="small">{words}<' in numbers
    assert "No whiteboard" not in portal and "No live coding" not in portal
