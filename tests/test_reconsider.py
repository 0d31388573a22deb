"""Considering a candidate for another job from the debrief, when the level fit is below the
job's level: the offer, the new application, the scorecards carried over read-only, and bad
input."""

from __future__ import annotations

from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates.models import Application
from interviewer.catalog.models import Level
from interviewer.extensions import db
from interviewer.plans.models import JobStatus
from tests import factories
from tests.test_debrief import debrief_url, split_loop


def middle_job(team, title="Backend Developer", **fields):
    """An open Middle job with a one-stage plan."""
    middle = db.session.scalar(
        select(Level).where(Level.team_id == team.id, Level.name == "Middle")
    )
    job = factories.JobFactory(team=team, level=middle, title=title, **fields)
    factories.PlanStageFactory(team=team, job=job, position=1, name="Phone screen")
    return job


def test_a_debrief_below_the_job_level_offers_the_open_jobs_of_the_level_met(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)
    job = middle_job(manager.team)
    middle_job(manager.team, title="Closed Middle job", status=JobStatus.CLOSED)

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    section = html[
        html.index('id="consider"') : html.index("</section>", html.index('id="consider"'))
    ]
    assert "The ratings meet <strong>Middle</strong>, below this job's Senior." in section
    assert f'<option value="{job.id}">Backend Developer</option>' in section
    assert "Closed Middle job" not in section
    assert "Consider for the chosen job" in section


def test_considering_opens_an_application_that_carries_the_scorecards_read_only(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)
    job = middle_job(manager.team)
    response = client.post(
        f"/applications/{loop.application.id}/consider",
        data={"job": job.id, "reason": "Strong API work; Middle fits."},
    )

    considered = db.session.scalar(
        select(Application).where(
            Application.candidate_id == loop.application.candidate_id, Application.job_id == job.id
        )
    )
    assert considered is not None and considered.considered_from_id == loop.application.id
    assert considered.current_stage.name == "Phone screen"
    assert response.status_code == 302
    assert response.headers["Location"].endswith(debrief_url(considered))
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "application.considered", AuditEvent.subject_id == considered.id
        )
    )
    assert event.data["from_application"] == loop.application.id

    page = client.get(debrief_url(considered)).get_data(as_text=True)
    carried = page[
        page.index('id="carried-over"') : page.index("</section>", page.index('id="carried-over"'))
    ]
    assert "Carried over from Senior Backend Developer" in carried
    assert "Strong API work; Middle fits." in carried
    # Four submitted scorecards in the Senior loop; none counted in the Middle job's fit.
    assert carried.count('class="list-group-item"') == 4
    assert "No submitted scorecard yet" in page or "Scorecards (0)" in page
    # The Senior debrief points to the new application; the Middle job is no longer offered.
    senior = client.get(debrief_url(loop.application)).get_data(as_text=True)
    assert f'href="{debrief_url(considered)}">Backend Developer</a>' in senior
    assert f'<option value="{job.id}">' not in senior


def test_a_reason_is_required_and_nothing_is_lost(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)
    job = middle_job(manager.team)
    response = client.post(
        f"/applications/{loop.application.id}/consider",
        data={"job": job.id, "reason": "  "},
    )

    assert response.status_code == 200
    assert "Say why the candidate is considered for this job." in response.get_data(as_text=True)
    assert db.session.scalar(select(Application).where(Application.job_id == job.id)) is None


def test_a_job_not_offered_is_refused(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)
    middle_job(manager.team)
    other = factories.JobFactory()  # another team's job
    response = client.post(
        f"/applications/{loop.application.id}/consider",
        data={"job": other.id, "reason": "Why not."},
    )

    assert response.status_code == 200
    assert "Choose one of the open jobs listed." in response.get_data(as_text=True)
    assert db.session.scalar(select(Application).where(Application.job_id == other.id)) is None


def test_interviewers_cannot_consider_and_other_teams_get_404(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop, _, _ = split_loop(manager.team)
    middle_job(manager.team)
    other_loop, _, _ = split_loop(factories.TeamFactory())

    assert client.post(f"/applications/{other_loop.application.id}/consider").status_code in (
        400,
        404,
    )
    auth.logout()
    auth.login(Role.INTERVIEWER, team=manager.team)
    assert client.post(f"/applications/{loop.application.id}/consider").status_code in (400, 403)
