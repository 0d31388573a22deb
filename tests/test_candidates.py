"""Adding, finding and editing candidates: one email is one person in a team."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from interviewer.auth.models import Role
from interviewer.candidates.models import Application, Candidate
from interviewer.plans.models import JobStatus
from tests import factories

CANDIDATE = {
    "name": "Aisha Bello",
    "email": "Aisha.Bello@Example.org ",
    "phone": "+234 801 234 5678",
    "links": "https://github.com/aisha-bello-dev\n\n  https://aisha.example.net  \n",
    "source": "Referral",
    "notes": "Met at PyCon Africa.",
}


def candidates_of(db, team):
    return db.session.scalars(select(Candidate).where(Candidate.team_id == team.id)).all()


def job_with_plan(team, title="Senior Backend Developer", **fields):
    job = factories.JobFactory(team=team, title=title, **fields)
    factories.PlanStageFactory(team=team, job=job, position=1, name="Screen")
    factories.PlanStageFactory(team=team, job=job, position=2, name="Live coding")
    return job


def test_a_manager_adds_a_candidate(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)

    response = client.post("/candidates/new", data=CANDIDATE, follow_redirects=True)

    [candidate] = candidates_of(db, manager.team)
    assert candidate.email == "aisha.bello@example.org"
    assert candidate.links == "https://github.com/aisha-bello-dev\nhttps://aisha.example.net"
    assert (candidate.phone, candidate.source) == ("+234 801 234 5678", "Referral")
    assert response.request.path == f"/candidates/{candidate.id}"
    html = response.get_data(as_text=True)
    assert "Added Aisha Bello." in html
    assert "Met at PyCon Africa." in html
    assert 'href="https://aisha.example.net"' in html


def test_the_same_email_in_another_case_opens_the_existing_candidate(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER, timezone="Europe/Berlin")
    existing = factories.CandidateFactory(
        team=manager.team, name="Aisha Bello", email="aisha.bello@example.org", notes="First"
    )

    response = client.post(
        "/candidates/new",
        data={"name": "A. Bello", "email": "AISHA.BELLO@example.ORG", "notes": "Second"},
        follow_redirects=True,
    )

    assert candidates_of(db, manager.team) == [existing]
    assert existing.name == "Aisha Bello"
    assert existing.notes == "First"
    assert response.request.path == f"/candidates/{existing.id}"
    html = response.get_data(as_text=True)
    assert "Aisha Bello is already a candidate (added on " in html
    assert "): opened their record." in html


def test_the_same_email_in_another_team_is_another_candidate(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    factories.CandidateFactory(email="aisha.bello@example.org")

    client.post("/candidates/new", data=CANDIDATE)

    assert len(candidates_of(db, manager.team)) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the candidate’s name."),
        ("email", "not-an-email", "Invalid email address."),
        ("links", "javascript:alert(1)", "is not a web address"),
        ("links", "github.com/aisha", "is not a web address"),
    ],
)
def test_an_invalid_candidate_shows_the_form_again_with_the_input_kept(
    client, auth, db, field, value, message
):
    manager = auth.login(Role.HIRING_MANAGER)

    response = client.post("/candidates/new", data={**CANDIDATE, field: value})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "Met at PyCon Africa." in html
    assert candidates_of(db, manager.team) == []


def test_adding_a_candidate_can_apply_them_to_a_job(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)

    response = client.post(
        "/candidates/new", data={**CANDIDATE, "job": str(job.id)}, follow_redirects=True
    )

    [candidate] = candidates_of(db, manager.team)
    [application] = candidate.applications
    assert application.job == job
    assert application.current_stage.name == "Screen"
    assert "Added Aisha Bello. Applied to Senior Backend Developer at Screen." in (
        response.get_data(as_text=True)
    )


def test_the_add_form_preselects_the_job_it_was_opened_from(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)

    html = client.get(f"/candidates/new?job_id={job.id}").get_data(as_text=True)

    assert f'<option selected value="{job.id}">' in html


def test_an_existing_candidate_added_again_with_a_job_is_applied_to_it(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)
    existing = factories.CandidateFactory(team=manager.team, email="aisha.bello@example.org")

    response = client.post(
        "/candidates/new", data={**CANDIDATE, "job": str(job.id)}, follow_redirects=True
    )

    assert [a.job for a in existing.applications] == [job]
    assert "is already a candidate" in response.get_data(as_text=True)


def test_a_job_without_a_plan_cannot_take_a_new_candidate(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job = factories.JobFactory(team=manager.team, title="Data Engineer")

    response = client.post("/candidates/new", data={**CANDIDATE, "job": str(job.id)})

    assert response.status_code == 200
    assert "Data Engineer has no interview plan yet" in response.get_data(as_text=True)
    assert candidates_of(db, manager.team) == []


def test_closed_and_other_teams_jobs_are_not_offered(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    closed = job_with_plan(manager.team, title="Closed role", status=JobStatus.CLOSED)
    draft = job_with_plan(manager.team, title="Draft role", status=JobStatus.DRAFT)
    foreign = job_with_plan(factories.TeamFactory(), title="Foreign role")

    html = client.get("/candidates/new").get_data(as_text=True)
    response = client.post("/candidates/new", data={**CANDIDATE, "job": str(foreign.id)})

    assert "Draft role" in html
    assert "Closed role" not in html and "Foreign role" not in html
    assert "Not a valid choice." in response.get_data(as_text=True)
    assert candidates_of(db, manager.team) == []
    assert closed.applications == [] and draft.applications == []


def test_a_manager_edits_a_candidate(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team, name="Aisha B")

    form = client.get(f"/candidates/{candidate.id}/edit").get_data(as_text=True)
    response = client.post(f"/candidates/{candidate.id}/edit", data=CANDIDATE)

    assert 'value="Aisha B"' in form
    assert response.headers["Location"] == f"/candidates/{candidate.id}"
    db.session.refresh(candidate)
    assert (candidate.name, candidate.email) == ("Aisha Bello", "aisha.bello@example.org")


def test_editing_a_candidate_refuses_another_candidates_email(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    factories.CandidateFactory(team=manager.team, name="Kenji", email="kenji@example.org")
    candidate = factories.CandidateFactory(team=manager.team, email="aisha@example.org")

    response = client.post(
        f"/candidates/{candidate.id}/edit", data={**CANDIDATE, "email": "Kenji@Example.org"}
    )

    assert response.status_code == 200
    assert "Kenji already uses this email." in response.get_data(as_text=True)
    db.session.refresh(candidate)
    assert candidate.email == "aisha@example.org"


def test_the_candidates_list_searches_by_name_or_email(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    factories.CandidateFactory(team=manager.team, name="Aisha Bello", email="ab@example.org")
    factories.CandidateFactory(team=manager.team, name="Kenji Watanabe", email="kw@mail.example")
    factories.CandidateFactory(name="Aisha Elsewhere")

    by_name = client.get("/candidates/?q=aisha").get_data(as_text=True)
    by_email = client.get("/candidates/?q=KW@MAIL").get_data(as_text=True)
    nothing = client.get("/candidates/?q=zzz").get_data(as_text=True)

    assert "Aisha Bello" in by_name and "Kenji" not in by_name
    assert "Aisha Elsewhere" not in by_name
    assert "Kenji Watanabe" in by_email and "Aisha" not in by_email
    assert "No candidate matches “zzz”" in nothing


def test_the_candidates_list_is_paginated(client, auth, app):
    manager = auth.login(Role.HIRING_MANAGER)
    per_page = app.config["PER_PAGE"]
    for number in range(per_page + 2):
        factories.CandidateFactory(team=manager.team, name=f"Person {number:03}")

    first = client.get("/candidates/").get_data(as_text=True)
    second = client.get("/candidates/?page=2").get_data(as_text=True)

    assert first.count("Person ") == per_page
    assert second.count("Person ") == 2
    assert f"Person {per_page + 1:03}" in second
    assert re.search(r'href="/candidates/\?after=[^"]*page=2">Next</a>', first)
    # The next link carries the last row's name and id: page 2 starts after it.
    link = re.search(r'href="([^"]*)">Next</a>', first).group(1).replace("&amp;", "&")
    assert client.get(link).get_data(as_text=True).count("Person ") == 2


def test_the_candidates_list_runs_the_same_queries_for_3_and_30_candidates(
    client, auth, count_queries
):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)

    def add(number):
        for _ in range(number):
            factories.ApplicationFactory(team=manager.team, job=job, current_stage=job.stages[0])

    add(3)
    with count_queries() as few:
        client.get("/candidates/")
    add(27)
    with count_queries() as many:
        html = client.get("/candidates/").get_data(as_text=True)

    # Each row names the job once (the job filter names it too).
    assert html.count("Senior Backend Developer ·") == 25
    assert few.count == many.count


def test_the_candidates_list_offers_to_add_one(client, auth):
    auth.login(Role.HIRING_MANAGER)

    html = client.get("/candidates/").get_data(as_text=True)

    assert 'href="/candidates/new"' in html
    assert "Add a candidate" in html


@pytest.mark.parametrize(
    "path", ["/candidates/", "/candidates/new", "/candidates/{id}", "/candidates/{id}/edit"]
)
def test_an_interviewer_cannot_open_candidate_pages(client, auth, path):
    interviewer = auth.login(Role.INTERVIEWER)
    candidate = factories.CandidateFactory(team=interviewer.team)

    assert client.get(path.format(id=candidate.id)).status_code == 403


def test_an_interviewer_cannot_add_a_candidate(client, auth, db):
    interviewer = auth.login(Role.INTERVIEWER)

    assert client.post("/candidates/new", data=CANDIDATE).status_code == 403
    assert candidates_of(db, interviewer.team) == []


@pytest.mark.parametrize("path", ["/candidates/{id}", "/candidates/{id}/edit"])
def test_another_teams_candidate_is_not_found(client, auth, path):
    auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory()

    assert client.get(path.format(id=candidate.id)).status_code == 404


def test_another_teams_candidate_cannot_be_edited(client, auth, db):
    auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(name="Theirs")

    assert client.post(f"/candidates/{candidate.id}/edit", data=CANDIDATE).status_code == 404
    db.session.refresh(candidate)
    assert candidate.name == "Theirs"
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_a_manager_adds_a_candidate_with_their_time_zone(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)

    response = client.post(
        "/candidates/new", data={**CANDIDATE, "timezone": "Asia/Tokyo"}, follow_redirects=True
    )

    [candidate] = candidates_of(db, manager.team)
    assert candidate.timezone == "Asia/Tokyo"
    assert "Tokyo time" in response.get_data(as_text=True)


def test_the_candidate_form_offers_common_zones_every_iana_zone_and_the_teams_by_default(
    client, auth, db
):
    manager = auth.login(Role.HIRING_MANAGER)
    manager.team.timezone = "Europe/Berlin"

    html = client.get("/candidates/new").get_data(as_text=True)

    assert '<label class="form-label" for="timezone">Time zone</label>' in html
    assert '<option selected value="">The team&#39;s zone (Europe/Berlin)</option>' in html
    assert '<optgroup label="Common zones">' in html and '<optgroup label="All zones">' in html
    assert '<option value="America/New_York">America/New York</option>' in html
    assert '<option value="America/Argentina/Ushuaia">' in html  # the full IANA list
    client.post("/candidates/new", data=CANDIDATE)
    [candidate] = candidates_of(db, manager.team)
    assert candidate.timezone is None  # blank: the team's zone


def test_an_unknown_time_zone_is_refused_next_to_the_field_with_the_input_kept(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)

    response = client.post("/candidates/new", data={**CANDIDATE, "timezone": "Mars/Olympus"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not a valid choice." in html
    assert "Met at PyCon Africa." in html
    assert candidates_of(db, manager.team) == []


def test_editing_a_candidate_shows_changes_and_clears_their_time_zone(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team, timezone="America/New_York")

    form = client.get(f"/candidates/{candidate.id}/edit").get_data(as_text=True)
    client.post(f"/candidates/{candidate.id}/edit", data={**CANDIDATE, "timezone": "Europe/Lisbon"})
    db.session.refresh(candidate)
    moved = candidate.timezone
    client.post(f"/candidates/{candidate.id}/edit", data={**CANDIDATE, "timezone": ""})
    db.session.refresh(candidate)

    assert '<option selected value="America/New_York">America/New York</option>' in form
    assert moved == "Europe/Lisbon"
    assert candidate.timezone is None


def test_a_saved_zone_outside_the_lists_stays_offered_when_editing(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    candidate = factories.CandidateFactory(team=manager.team, timezone="US/Eastern")

    form = client.get(f"/candidates/{candidate.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/candidates/{candidate.id}/edit", data={**CANDIDATE, "timezone": "US/Eastern"}
    )

    assert '<option selected value="US/Eastern">US/Eastern</option>' in form
    assert response.status_code == 302
    db.session.refresh(candidate)
    assert candidate.timezone == "US/Eastern"
