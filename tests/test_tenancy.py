"""No user ever sees another team's data: another team's id is a 404, lists show one team."""

from __future__ import annotations

import pytest

from interviewer.auth.models import Role
from tests import factories


@pytest.fixture
def other_team():
    """Team B with a job, a plan stage and a candidate who applied."""
    application = factories.ApplicationFactory(
        job__title="Team B Secret Job", candidate__name="Team B Candidate"
    )
    factories.PlanStageFactory(team=application.team, job=application.job, name="Team B Stage")
    return application


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_another_teams_job_is_not_found(client, auth, other_team, role):
    auth.login(role)

    response = client.get(f"/jobs/{other_team.job_id}")

    assert response.status_code == 404
    assert "Team B" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIRING_MANAGER])
def test_another_teams_candidate_is_not_found(client, auth, other_team, role):
    auth.login(role)

    response = client.get(f"/candidates/{other_team.candidate_id}")

    assert response.status_code == 404
    assert "Team B" not in response.get_data(as_text=True)


def test_own_teams_job_and_candidate_are_found(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application = factories.ApplicationFactory(
        team=manager.team, job__title="Our Job", candidate__name="Our Candidate"
    )

    job_page = client.get(f"/jobs/{application.job_id}")
    candidate_page = client.get(f"/candidates/{application.candidate_id}")

    assert job_page.status_code == 200
    assert "Our Job" in job_page.get_data(as_text=True)
    assert candidate_page.status_code == 200
    assert "Our Candidate" in candidate_page.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/jobs/999999",
        "/jobs/abc",
        "/jobs/1.5",
        "/jobs/-1",
        "/jobs/",
        "/candidates/999999",
        "/candidates/abc",
        "/candidates/-1",
        "/candidates/1e3",
    ],
)
def test_missing_or_malformed_ids_are_not_found(client, auth, path):
    auth.login(Role.HIRING_MANAGER)

    response = client.get(path)

    assert response.status_code == 404
    assert "There is nothing here." in response.get_data(as_text=True)


def test_lists_show_only_the_own_teams_rows(client, auth, other_team):
    manager = auth.login(Role.HIRING_MANAGER)
    ours = factories.ApplicationFactory(
        team=manager.team, job__title="Our Job", candidate__name="Our Candidate"
    )
    factories.PlanStageFactory(team=manager.team, job=ours.job)

    for path in ("/dashboard", "/jobs", "/candidates/"):
        html = client.get(path).get_data(as_text=True)
        assert "Our" in html, path
        assert "Team B" not in html, path


def test_candidate_search_does_not_reach_another_team(client, auth, other_team):
    auth.login(Role.HIRING_MANAGER)

    html = client.get("/candidates/?q=Team+B").get_data(as_text=True)

    assert "Team B Candidate" not in html
    assert "No candidate matches" in html


def test_user_list_shows_only_the_own_team(client, auth):
    admin = auth.login(Role.ADMIN)
    factories.UserFactory(team=admin.team, name="Our Colleague")
    factories.UserFactory(name="Stranger From Team B")

    html = client.get("/team/users").get_data(as_text=True)

    assert "Our Colleague" in html
    assert "Stranger From Team B" not in html


def test_my_interviews_lists_only_the_users_own_panels(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    mine = factories.PanelMemberFactory(
        team=interviewer.team, user=interviewer, interview__application__candidate__name="Mine"
    )
    # A colleague's interview in the same team, and one in another team.
    factories.PanelMemberFactory(
        team=interviewer.team, interview__application__candidate__name="Colleague Candidate"
    )
    factories.PanelMemberFactory(interview__application__candidate__name="Team B Interviewee")

    html = client.get("/my-interviews").get_data(as_text=True)

    assert mine.interview.application.candidate.name in html
    assert "Colleague Candidate" not in html
    assert "Team B Interviewee" not in html
