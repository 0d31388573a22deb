"""The admin's careers page settings: the privacy notice (a new version at each change of its
text) and the self-identification questions the apply form asks."""

from __future__ import annotations

from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.models import Application
from tests.test_apply import post
from tests.test_careers import build_job


def test_the_admin_menu_links_the_careers_page_settings(client, auth):
    auth.login(Role.ADMIN)
    page = client.get("/team/careers").get_data(as_text=True)
    assert 'href="/team/careers"' in page
    assert "Privacy notice" in page
    assert "The standard notice candidates read now" in page


def test_only_admins_change_the_settings(client, auth):
    auth.login(Role.HIRING_MANAGER)
    assert client.get("/team/careers").status_code == 403
    assert client.post("/team/careers", data={"privacy_notice": "x"}).status_code == 403


def test_a_new_notice_makes_a_new_version_that_consents_record(client, db, auth):
    job = build_job(slug="notice-job")
    admin = auth.login(Role.ADMIN, team=job.team)

    response = client.post(
        "/team/careers",
        data={"privacy_notice": "We keep your CV for a year.", "self_identification": ["gender"]},
        follow_redirects=True,
    )

    assert "The privacy notice is now version 2." in response.get_data(as_text=True)
    assert admin.team.privacy_notice_version == 2
    assert admin.team.self_identification_questions == "gender"
    # Saving the same text again keeps the version.
    client.post(
        "/team/careers",
        data={"privacy_notice": "We keep your CV for a year.", "self_identification": []},
    )
    assert admin.team.privacy_notice_version == 2
    assert admin.team.self_identification_questions == ""
    auth.logout()

    form = client.get(f"/careers/{job.team.slug}/{job.slug}/apply").get_data(as_text=True)
    assert "We keep your CV for a year." in form
    assert "(version 2)" in form
    post(client, job)
    assert db.session.scalar(select(Application)).consent_version == 2


def test_an_unknown_question_is_refused_on_the_form(client, auth):
    auth.login(Role.ADMIN)
    response = client.post(
        "/team/careers", data={"privacy_notice": "", "self_identification": ["religion"]}
    )
    assert response.status_code == 200
    assert "not a valid choice" in response.get_data(as_text=True)
