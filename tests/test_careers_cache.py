"""The careers pages are kept rendered, and a change made by a manager shows on the very next
request, in this process and in any other sharing the database (and Redis)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text

from interviewer.auth.models import Role, Team
from interviewer.extensions import db as _db
from interviewer.plans.models import Job, JobStatus
from tests import factories
from tests.conftest import postgres_engine_or_skip
from tests.form_walk import forms_on
from tests.test_careers import build_job, url


def submit(client, page: str, **changes):
    """Send the first form of ``page`` that posts back to it, as it stands but for ``changes``."""
    html = client.get(page).get_data(as_text=True)
    form = next(f for f in forms_on(html, page) if f.method == "post" and f.action == page)
    body = form.body()
    body.update({name: [value] for name, value in changes.items()})
    # Followed, as a browser does: the page it leads to shows (and so clears) the flashed
    # message, which a careers page would otherwise show instead of its kept copy.
    response = client.post(page, data=body, follow_redirects=True)
    assert len(response.history) == 1, response.get_data(as_text=True)[:2000]
    return response


@pytest.fixture
def kept(client, count_queries):
    """``kept(path)``: GET ``path`` until it comes from the cache (one statement), so that a
    change after it must be seen to replace the kept copy."""

    def keep(path: str) -> None:
        client.get(path)
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        assert counter.count == 1, counter.statements

    return keep


@pytest.fixture
def job(db):
    return build_job(title="Platform Engineer", stages=[("screen", 30), ("final", 60)])


@pytest.fixture
def manager(auth, job):
    user = auth.login(Role.HIRING_MANAGER, team=job.team)
    # The page after signing in shows (and clears) its welcome message.
    auth.client.get("/", follow_redirects=True)
    return user


def test_a_second_request_is_served_kept_in_one_statement(client, db, job, count_queries):
    first = client.get(url(job))
    with count_queries() as kept:
        again = client.get(url(job))
    assert again.status_code == 200 and again.data == first.data
    assert kept.count == 1
    assert again.headers["Cache-Control"] == "no-cache"
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers["Referrer-Policy"] == "no-referrer"


def test_a_browser_holding_the_page_gets_304_until_it_changes(client, db, job, kept):
    kept(url(job))
    etag = client.get(url(job)).headers["ETag"]
    not_modified = client.get(url(job), headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    job.title = "Staff Platform Engineer"
    db.session.commit()
    changed = client.get(url(job), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Staff Platform Engineer" in changed.get_data(as_text=True)


def test_a_job_edited_by_its_manager_shows_on_the_next_request(client, job, manager, kept):
    assert "Platform Engineer" in client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    kept(url(job))
    kept(f"/careers/{job.team.slug}")
    submit(client, f"/jobs/{job.id}/edit", title="Data Platform Engineer", slug=job.slug)
    for page in (url(job), f"/careers/{job.team.slug}"):
        assert "Data Platform Engineer" in client.get(page).get_data(as_text=True)


def test_a_stage_renamed_and_a_kit_edited_show_on_the_next_request(client, job, manager, kept):
    stage = job.stages[0]
    kept(url(job))
    submit(client, f"/jobs/{job.id}/plan/stages/{stage.id}/edit", name="Chat with the team")
    assert "Chat with the team" in client.get(url(job)).get_data(as_text=True)
    kept(url(job))
    kit = f"/jobs/{job.id}/plan/stages/{stage.id}/kit"
    submit(client, kit, what_to_expect="We talk about your last project for half an hour.")
    assert "your last project" in client.get(url(job)).get_data(as_text=True)


def test_a_skill_renamed_shows_on_the_next_request(client, job, manager, kept):
    skill = job.stages[0].focus_skills[0]
    kept(url(job))
    submit(client, f"/catalog/skills/{skill.id}/edit", name="Thinking out loud")
    assert "Thinking out loud" in client.get(url(job)).get_data(as_text=True)


def test_the_brand_changed_shows_on_the_next_request(client, job, auth, kept):
    auth.login(Role.ADMIN, team=job.team)
    client.get("/", follow_redirects=True)
    kept(url(job))
    kept(f"/careers/{job.team.slug}")
    submit(client, "/team/branding", display_name="Acme Careers", accent_color="#123456")
    page = client.get(url(job)).get_data(as_text=True)
    assert "Acme Careers" in page and "v=" in page
    assert client.get(f"/careers/{job.team.slug}").get_data(as_text=True).count("Acme Careers")


def test_a_job_closed_by_its_manager_leaves_the_pages_at_once(client, job, manager, kept):
    kept(url(job))
    kept(f"/careers/{job.team.slug}")
    assert client.post(f"/jobs/{job.id}/close", follow_redirects=True).history
    assert client.get(url(job)).status_code == 404
    team_page = client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    assert "Platform Engineer" not in team_page and "no open positions" in team_page


def test_a_job_published_shows_on_the_team_page_at_once(client, db, job, manager, kept):
    draft = build_job(team=job.team, title="Site Reliability Engineer", status=JobStatus.DRAFT)
    assert "Site Reliability" not in client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    kept(f"/careers/{job.team.slug}")
    assert client.post(f"/jobs/{draft.id}/open", follow_redirects=True).history
    assert db.session.get(Job, draft.id).status == JobStatus.OPEN
    assert "Site Reliability" in client.get(f"/careers/{job.team.slug}").get_data(as_text=True)


def test_another_teams_jobs_never_appear_and_its_changes_keep_this_teams_pages(
    client, db, job, count_queries
):
    other = build_job(title="Secret Other Team Role")
    mine = client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    assert "Secret Other Team Role" not in mine
    # The same job address under another team's slug opens nothing.
    assert client.get(f"/careers/{other.team.slug}/{job.slug}").status_code == 404
    other.title = "Another Secret Role"
    db.session.flush()
    with count_queries() as kept:
        again = client.get(f"/careers/{job.team.slug}")
    assert kept.count == 1 and "Secret" not in again.get_data(as_text=True)


def test_a_visitor_with_a_message_waiting_gets_it_on_a_rendered_page(client, db, job):
    client.get(url(job))
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Thank you for applying.")]
    assert "Thank you for applying." in client.get(url(job)).get_data(as_text=True)
    assert "Thank you for applying." not in client.get(url(job)).get_data(as_text=True)


def test_the_apply_form_is_rendered_for_each_visitor_with_its_signed_start(client, db, job):
    client.get(url(job))
    form = client.get(f"{url(job)}/apply")
    assert 'name="started"' in form.get_data(as_text=True) and "ETag" not in form.headers


# Two processes ----------------------------------------------------------------------------


def test_a_change_committed_in_one_process_shows_at_once_in_the_other(two_apps):
    first, second, teams = two_apps
    slug = f"two-{uuid.uuid4().hex[:8]}"
    with first.app_context():
        job = build_job(title="Backend Developer", team__slug=slug)
        _db.session.commit()
        teams.append(job.team_id)
        path, job_id = url(job), job.id
        _db.session.remove()
    reader = second.test_client()
    assert "Backend Developer" in reader.get(path).get_data(as_text=True)
    assert "Backend Developer" in reader.get(f"/careers/{slug}").get_data(as_text=True)
    with first.app_context():
        _db.session.get(Job, job_id).title = "Senior Backend Developer"
        _db.session.commit()
        _db.session.remove()
    assert "Senior Backend Developer" in reader.get(path).get_data(as_text=True)
    assert "Senior Backend Developer" in reader.get(f"/careers/{slug}").get_data(as_text=True)
    with first.app_context():
        team = _db.session.scalar(select(Team).where(Team.slug == slug))
        team.display_name = "Renamed Careers"
        _db.session.commit()
        _db.session.remove()
    assert "Renamed Careers" in reader.get(path).get_data(as_text=True)
    assert "Renamed Careers" in first.test_client().get(path).get_data(as_text=True)


def test_a_change_holds_its_teams_counters_only_while_it_commits(two_apps):
    """A transaction that changed a job raises the careers and team counters as it commits,
    so until then another writer of the same team is not kept waiting on their rows."""
    first, _, teams = two_apps
    engine = postgres_engine_or_skip(first, "only PostgreSQL locks one row at a time")
    versions = text(
        "SELECT (SELECT version FROM careers_version WHERE team_id = :team),"
        " (SELECT version FROM team_version WHERE team_id = :team)"
    )
    locks = [
        text(f"SELECT version FROM {table} WHERE team_id = :team FOR UPDATE NOWAIT")
        for table in ("careers_version", "team_version")
    ]
    with first.app_context():
        job = build_job(team=factories.TeamFactory(slug=f"locks-{uuid.uuid4().hex[:8]}"))
        _db.session.commit()
        teams.append(team_id := job.team_id)
        with engine.connect() as other:
            before = other.execute(versions, {"team": team_id}).one()
        job.title = "Staff Platform Engineer"
        _db.session.flush()
        with engine.connect() as other:
            for lock in locks:
                assert other.execute(lock, {"team": team_id}).scalar() is not None
            other.rollback()
        _db.session.commit()
        _db.session.remove()
    with engine.connect() as other:
        after = other.execute(versions, {"team": team_id}).one()
    assert [new - old for new, old in zip(after, before, strict=True)] == [1, 1]
