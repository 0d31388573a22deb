"""One-click actions that cannot be taken back ask first: the button leads to a page that
says what will happen (nothing changes yet), and only its confirm button acts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.candidates.portal_links import make_token
from interviewer.plans.models import JobStatus, PlanStage
from tests import factories


@pytest.fixture
def manager(auth):
    return auth.login(Role.HIRING_MANAGER)


def confirm_form(html: str) -> tuple[str, dict]:
    """The confirm page's form: where it posts and what it sends."""
    card = html[html.index("confirm-card") :]
    form = re.search(r'<form method="post" action="([^"]+)".*?</form>', card, re.S)
    assert form, html
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(0))
    return form.group(1), {"csrf_token": token.group(1) if token else ""}


def link_to(html: str, text: str) -> str:
    """The href of the link whose text starts with ``text``."""
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(text)}', html)
    assert found, f"no link {text!r}"
    return found.group(1).replace("&amp;", "&")


def test_deleting_a_stage_asks_first_and_the_confirm_deletes_it(client, db, manager):
    job = factories.JobFactory(team=manager.team, title="Platform Engineer")
    keep = factories.PlanStageFactory(team=manager.team, job=job, position=1, name="Screen")
    doomed = factories.PlanStageFactory(team=manager.team, job=job, position=2, name="Pairing")

    edit = client.get(f"/jobs/{job.id}/plan/stages/{doomed.id}/edit").text
    assert f'action="/jobs/{job.id}/plan/stages/{doomed.id}/delete"' not in edit
    page = client.get(link_to(edit, "Delete “Pairing”"))

    assert page.status_code == 200
    assert "Delete the stage “Pairing” of Platform Engineer?" in page.text
    assert "every version of its kit" in page.text
    assert db.session.get(PlanStage, doomed.id) is not None
    action, body = confirm_form(page.text)
    assert action == f"/jobs/{job.id}/plan/stages/{doomed.id}/delete"
    assert f'href="/jobs/{job.id}/plan/stages/{doomed.id}/edit">No, go back' in page.text

    done = client.post(action, data=body, follow_redirects=True)

    assert "Deleted “Pairing” and its kit." in done.text
    stages = db.session.scalars(select(PlanStage.name).where(PlanStage.job_id == job.id)).all()
    assert stages == [keep.name]


def test_closing_a_job_asks_first_and_the_confirm_closes_it(client, db, manager):
    job = factories.JobFactory(team=manager.team, title="Platform Engineer")

    page_of_job = client.get(f"/jobs/{job.id}").text
    assert f'<form method="post" action="/jobs/{job.id}/close"' not in page_of_job
    page = client.get(link_to(page_of_job, "Close job"))

    assert page.status_code == 200
    assert "Close Platform Engineer?" in page.text
    assert "nobody new can apply" in page.text
    assert job.status == JobStatus.OPEN
    action, body = confirm_form(page.text)
    assert action == f"/jobs/{job.id}/close"

    client.post(action, data=body)

    assert job.status == JobStatus.CLOSED


def test_a_new_candidate_link_asks_first_and_the_confirm_stops_the_old_one(
    app, client, db, manager
):
    job = factories.JobFactory(team=manager.team, title="Platform Engineer")
    stage = factories.PlanStageFactory(team=manager.team, job=job, position=1)
    application = factories.ApplicationFactory(
        team=manager.team, job=job, current_stage=stage, candidate__name="Jane Doe"
    )
    db.session.flush()
    with app.test_request_context():
        old = make_token(application)
    assert client.get(f"/portal/{old}").status_code == 200

    candidate_page = client.get(f"/candidates/{application.candidate_id}").text
    assert f'action="/applications/{application.id}/portal-link"' not in candidate_page
    page = client.get(link_to(candidate_page, "New candidate link"))

    assert page.status_code == 200
    assert "Give Jane Doe a new private link for Platform Engineer?" in page.text
    assert "The link Jane Doe holds now stops working at once" in page.text
    assert client.get(f"/portal/{old}").status_code == 200
    action, body = confirm_form(page.text)

    done = client.post(action, data=body, follow_redirects=True)

    assert "the old one no longer works" in done.text
    assert client.get(f"/portal/{old}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/jobs/{job}/close",
        "/jobs/{job}/plan/stages/{stage}/delete",
        "/applications/{app}/portal-link",
    ],
)
def test_an_interviewer_is_refused_the_confirm_pages(client, auth, path):
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    stage = factories.PlanStageFactory(team=team, job=job, position=1)
    application = factories.ApplicationFactory(team=team, job=job, current_stage=stage)
    auth.login(Role.INTERVIEWER, team=team)

    url = path.format(job=job.id, stage=stage.id, app=application.id)

    assert client.get(url).status_code == 403
