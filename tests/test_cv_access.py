"""Who sees a CV: the team's managers and the interviewers of that application, as an
attachment of the type found at upload; anyone else, and another team, get 404."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import Application
from interviewer.candidates.self_identification import self_identification_counts
from tests import apply_support, factories
from tests.test_apply import post
from tests.test_careers import build_job


@pytest.fixture
def applied(client, db):
    """A careers-page application with a CV, a note and self-identification answers."""
    job = build_job(title="Backend Developer", slug="backend-developer")
    job.team.self_identification_questions = "gender,veteran"
    response = post(
        client, job, cover_note="Zanzibar note", gender="Woman", veteran="I am not a veteran"
    )
    assert response.status_code == 302
    return db.session.scalar(select(Application))


def cv_url(application) -> str:
    return f"/applications/{application.id}/cv"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIRING_MANAGER])
def test_managers_download_the_cv_as_an_attachment(client, auth, applied, role):
    auth.login(role, team=applied.team)

    response = client.get(cv_url(applied))

    assert response.status_code == 200
    assert response.data == apply_support.PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "cv.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_the_candidate_page_shows_the_cv_link_note_consent_and_source(client, auth, applied):
    auth.login(Role.HIRING_MANAGER, team=applied.team)

    page = client.get(f"/candidates/{applied.candidate_id}").get_data(as_text=True)

    assert f'href="{cv_url(applied)}"' in page
    assert "Zanzibar note" in page
    assert "agreed to privacy notice version 1" in page
    assert "via Careers page" in page


def test_an_interviewer_of_the_application_downloads_it_from_the_interview(
    client, db, auth, applied
):
    interviewer = factories.UserFactory(team=applied.team, role=Role.INTERVIEWER)
    interview = factories.InterviewFactory(
        team=applied.team, application=applied, plan_stage=applied.job.stages[0]
    )
    factories.PanelMemberFactory(team=applied.team, interview=interview, user=interviewer)
    auth.login(user=interviewer)

    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    response = client.get(cv_url(applied))

    assert f'href="{cv_url(applied)}"' in page
    assert response.status_code == 200
    assert response.data == apply_support.PDF


def test_an_interviewer_of_another_application_gets_404(client, db, auth, applied):
    interviewer = factories.UserFactory(team=applied.team, role=Role.INTERVIEWER)
    elsewhere = factories.ApplicationFactory(team=applied.team, job=applied.job)
    interview = factories.InterviewFactory(
        team=applied.team, application=elsewhere, plan_stage=applied.job.stages[0]
    )
    factories.PanelMemberFactory(team=applied.team, interview=interview, user=interviewer)
    auth.login(user=interviewer)

    assert client.get(cv_url(applied)).status_code == 404


def test_another_teams_cv_is_404(client, auth, applied):
    auth.login(Role.ADMIN)  # a team of their own
    assert client.get(cv_url(applied)).status_code == 404


def test_an_application_without_a_cv_is_404(client, db, auth):
    application = factories.ApplicationFactory()
    auth.login(Role.HIRING_MANAGER, team=application.team)
    assert client.get(cv_url(application)).status_code == 404


def test_signed_out_the_cv_asks_to_sign_in(client, applied):
    response = client.get(cv_url(applied))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_self_identification_is_kept_apart_and_counted_only(client, db, auth, applied):
    assert self_identification_counts(db.session, applied.team_id) == {
        "gender": {"Woman": 1},
        "ethnicity": {"Not answered": 1},
        "disability": {"Not answered": 1},
        "veteran": {"I am not a veteran": 1},
    }
    assert self_identification_counts(db.session, applied.team_id, job_id=applied.job_id)[
        "gender"
    ] == {"Woman": 1}
    other_job = factories.JobFactory(team=applied.team)
    assert self_identification_counts(db.session, applied.team_id, other_job.id)["gender"] == {}


def test_no_page_of_the_team_shows_a_self_identification_answer(client, db, auth, applied):
    interview = factories.InterviewFactory(
        team=applied.team, application=applied, plan_stage=applied.job.stages[0]
    )
    auth.login(Role.ADMIN, team=applied.team)
    pages = [
        f"/candidates/{applied.candidate_id}",
        f"/applications/{applied.id}/debrief",
        f"/interviews/{interview.id}",
        "/candidates/",
        f"/jobs/{applied.job_id}/board",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        for answer in ("Woman", "I am not a veteran", "veteran"):
            assert answer not in page, f"{answer!r} on {path}"


def test_only_the_questions_the_team_asks_are_on_the_form_and_kept(client, db):
    job = build_job(slug="asks-gender")
    job.team.self_identification_questions = "gender"
    page = client.get(f"/careers/{job.team.slug}/{job.slug}/apply").get_data(as_text=True)
    assert "Voluntary self-identification" in page
    assert re.search(r'<label[^>]*for="gender"', page)
    assert 'name="ethnicity"' not in page
    assert "Prefer not to say" in page

    post(client, job, gender="Prefer not to say", ethnicity="White")

    counts = self_identification_counts(db.session, job.team_id)
    assert counts["gender"] == {"Prefer not to say": 1}
    assert counts["ethnicity"] == {"Not answered": 1}
