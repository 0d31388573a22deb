"""The team's candidate sources: every team starts with the built-in ones, an admin adds,
renames, reorders and archives them ("Careers page" stays as it is), the candidate form
offers the active ones and the candidates list filters by any of them."""

from __future__ import annotations

import re

import flask_migrate
import pytest
from sqlalchemy import select, text

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, Team
from interviewer.candidates import sources
from interviewer.candidates.models import Candidate, CandidateSource
from interviewer.extensions import db as _db
from tests import factories
from tests.conftest import delete_committed_team
from tests.test_candidates import job_with_plan


def names(db, team) -> list[str]:
    return [source.name for source in sources.team_sources(db.session, team.id)]


def source_named(db, team, name) -> CandidateSource:
    return db.session.scalar(
        select(CandidateSource).where(
            CandidateSource.team_id == team.id, CandidateSource.name == name
        )
    )


def listed(html: str) -> list[str]:
    """The sources page's list, in order."""
    return re.findall(r'<span class="fw-semibold[^"]*">([^<]+)</span>', html)


@pytest.fixture
def admin(auth):
    return auth.login(Role.ADMIN)


def test_a_new_team_starts_with_the_built_in_sources(db):
    team = factories.TeamFactory()

    assert names(db, team) == ["Careers page", "Referral", "Agency", "Sourced"]
    assert all(source.builtin for source in sources.team_sources(db.session, team.id))


def test_create_user_gives_a_new_team_the_built_in_sources(runner, db):
    result = runner.invoke(
        args=["create-user", "--team", "fresh-team", "--email", "ada@fresh.example"],
        input=f"{factories.PASSWORD}\n{factories.PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    team = db.session.scalar(select(Team).where(Team.slug == "fresh-team"))
    assert names(db, team) == list(sources.BUILTIN_SOURCES)


def test_the_admin_sees_the_sources_in_order_with_their_candidates(client, admin, db):
    factories.CandidateFactory(team=admin.team, source="Referral")
    factories.CandidateFactory(team=admin.team, source="Referral")

    html = client.get("/team/sources").get_data(as_text=True)

    assert listed(html) == ["Careers page", "Referral", "Agency", "Sourced"]
    assert "2 candidates" in html
    assert "recorded by the careers page" in html
    assert 'href="/team/sources"' in client.get("/my-interviews").get_data(as_text=True)


def test_the_admin_adds_a_source_at_the_end(client, admin, db):
    response = client.post("/team/sources", data={"name": "  Meetup  "}, follow_redirects=True)

    assert "Added the source “Meetup”." in response.get_data(as_text=True)
    assert names(db, admin.team)[-1] == "Meetup"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "candidate_source.created")
    )
    assert event.team_id == admin.team_id and event.actor_id == admin.id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("referral", "There is already a source named “Referral”."),
        ("", "Give the source a name."),
        ("x" * 81, "Keep the name within 80 characters."),
    ],
)
def test_a_source_that_clashes_or_has_no_name_is_refused_with_a_message(
    client, admin, db, name, message
):
    response = client.post("/team/sources", data={"name": name})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert len(names(db, admin.team)) == 4


def test_an_archived_name_is_refused_with_a_hint_to_restore_it(client, admin, db):
    sources.set_archived(db.session, source_named(db, admin.team, "Agency"), admin, True)

    html = client.post("/team/sources", data={"name": "AGENCY"}).get_data(as_text=True)

    assert "already a source named “Agency” (archived: restore it instead)" in html
    assert 'value="AGENCY"' in html


def test_renaming_a_source_renames_it_on_its_candidates_only(client, admin, db):
    mine = factories.CandidateFactory(team=admin.team, source="Agency")
    kept_at = mine.updated_at
    other = factories.CandidateFactory(team=admin.team, source="Referral")
    elsewhere = factories.CandidateFactory(source="Agency")
    agency = source_named(db, admin.team, "Agency")

    response = client.post(
        f"/team/sources/{agency.id}/edit", data={"name": "Recruiting agency"}, follow_redirects=True
    )

    assert "Renamed “Agency” to “Recruiting agency”, on 1 candidate too." in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert (mine.source, other.source, elsewhere.source) == (
        "Recruiting agency",
        "Referral",
        "Agency",
    )
    # A rename is not something that happened to the candidate.
    assert mine.updated_at == kept_at
    assert names(db, admin.team)[2] == "Recruiting agency"


def test_a_rename_to_another_sources_name_is_refused_and_keeps_the_text(client, admin, db):
    agency = source_named(db, admin.team, "Agency")

    html = client.post(f"/team/sources/{agency.id}/edit", data={"name": "sourced"}).get_data(
        as_text=True
    )

    assert "There is already a source named “Sourced”." in html
    assert 'value="sourced"' in html
    assert source_named(db, admin.team, "Agency") is not None


def test_the_careers_page_source_can_be_neither_renamed_nor_archived(client, admin, db):
    careers = source_named(db, admin.team, "Careers page")

    page = client.get(f"/team/sources/{careers.id}/edit").get_data(as_text=True)
    renamed = client.post(f"/team/sources/{careers.id}/edit", data={"name": "Website"})
    archived = client.post(f"/team/sources/{careers.id}/archive", follow_redirects=True)

    assert "keeps its name" in page and "Rename source" not in page
    assert "keeps its name" in renamed.get_data(as_text=True)
    assert "recorded by the careers page and stays on" in archived.get_data(as_text=True)
    db.session.refresh(careers)
    assert (careers.name, careers.archived) == ("Careers page", False)
    listing = client.get("/team/sources").get_data(as_text=True)
    assert f"/team/sources/{careers.id}/archive" not in listing


def test_an_archived_source_stays_on_its_candidates_but_is_not_offered(client, admin, db):
    candidate = factories.CandidateFactory(team=admin.team, source="Agency")
    agency = source_named(db, admin.team, "Agency")

    client.post(f"/team/sources/{agency.id}/archive")

    db.session.refresh(agency)
    assert agency.archived
    new_form = client.get("/candidates/new").get_data(as_text=True)
    assert '<option value="Referral">Referral</option>' in new_form
    assert 'value="Agency"' not in new_form
    edit_form = client.get(f"/candidates/{candidate.id}/edit").get_data(as_text=True)
    assert '<option selected value="Agency">Agency (archived)</option>' in edit_form
    # Saving the candidate's other details keeps their source.
    response = client.post(
        f"/candidates/{candidate.id}/edit",
        data={"name": "New Name", "email": candidate.email, "source": "Agency"},
    )
    assert response.status_code == 302
    db.session.refresh(candidate)
    assert (candidate.name, candidate.source) == ("New Name", "Agency")

    client.post(f"/team/sources/{agency.id}/restore")
    assert 'value="Agency">Agency</option>' in client.get("/candidates/new").get_data(as_text=True)


def test_the_candidate_form_refuses_a_source_not_offered_and_keeps_the_rest(client, admin, db):
    html = client.post(
        "/candidates/new",
        data={"name": "Aisha Bello", "email": "aisha@example.org", "source": "Gossip"},
    ).get_data(as_text=True)

    assert "Not a valid choice" in html
    assert 'value="Aisha Bello"' in html
    assert db.session.scalar(select(Candidate).where(Candidate.team_id == admin.team_id)) is None


def test_the_admin_moves_sources_up_and_down(client, admin, db):
    agency = source_named(db, admin.team, "Agency")

    client.post(f"/team/sources/{agency.id}/move", data={"direction": "up"})
    assert names(db, admin.team) == ["Careers page", "Agency", "Referral", "Sourced"]
    client.post(f"/team/sources/{agency.id}/move", data={"direction": "down"})
    client.post(f"/team/sources/{agency.id}/move", data={"direction": "down"})
    assert names(db, admin.team) == ["Careers page", "Referral", "Sourced", "Agency"]
    # At the end it stays; a direction that is not one changes nothing.
    client.post(f"/team/sources/{agency.id}/move", data={"direction": "down"})
    client.post(f"/team/sources/{agency.id}/move", data={"direction": "sideways"})
    assert names(db, admin.team) == ["Careers page", "Referral", "Sourced", "Agency"]
    positions = [s.position for s in sources.team_sources(db.session, admin.team_id)]
    assert positions == [1, 2, 3, 4]


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_manage_the_sources(client, auth, db, role):
    user = auth.login(role)
    agency = source_named(db, user.team, "Agency")

    assert client.get("/team/sources").status_code == 403
    assert client.post("/team/sources", data={"name": "Meetup"}).status_code == 403
    assert client.post(f"/team/sources/{agency.id}/archive").status_code == 403
    assert names(db, user.team) == list(sources.BUILTIN_SOURCES)


def test_another_teams_source_is_not_found(client, admin, db):
    theirs = source_named(db, factories.TeamFactory(), "Agency")

    assert client.get(f"/team/sources/{theirs.id}/edit").status_code == 404
    assert client.post(f"/team/sources/{theirs.id}/archive").status_code == 404
    assert client.post(f"/team/sources/{theirs.id}/move", data={"direction": "up"}).status_code == (
        404
    )
    db.session.refresh(theirs)
    assert not theirs.archived


# The candidates list's source filter ----------------------------------------------------------


def list_names(client, query="") -> list[str]:
    html = client.get(f"/candidates/{query}").get_data(as_text=True)
    return re.findall(r'<td><a href="/candidates/\d+">([^<]+)</a>', html)


def test_the_candidates_list_filters_by_source_archived_ones_too(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    team = manager.team
    factories.CandidateFactory(team=team, name="Aisha Bello", source="Referral")
    factories.CandidateFactory(team=team, name="Bruno Diaz", source="Agency")
    factories.CandidateFactory(team=team, name="Chen Wei", source="Referral")
    factories.CandidateFactory(team=team, name="Dana Ode", source="")
    referral, agency = source_named(db, team, "Referral"), source_named(db, team, "Agency")
    sources.set_archived(db.session, agency, None, True)

    assert list_names(client, f"?source={referral.id}") == ["Aisha Bello", "Chen Wei"]
    assert list_names(client, f"?source={agency.id}&q=bruno") == ["Bruno Diaz"]
    html = client.get(f"/candidates/?source={agency.id}").get_data(as_text=True)
    assert f'<option value="{agency.id}" selected>Agency (archived)</option>' in html
    assert list_names(client) == ["Aisha Bello", "Bruno Diaz", "Chen Wei", "Dana Ode"]


def test_the_source_filter_combines_with_the_others_and_pages_keep_it(
    client, auth, db, app, monkeypatch
):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)
    for name, source in (("Aisha Bello", "Referral"), ("Bruno Diaz", "Agency")):
        factories.ApplicationFactory(
            team=manager.team,
            job=job,
            current_stage=job.stages[0],
            candidate=factories.CandidateFactory(team=manager.team, name=name, source=source),
        )
    factories.CandidateFactory(team=manager.team, name="Chen Wei", source="Referral")
    referral = source_named(db, manager.team, "Referral")

    assert list_names(client, f"?source={referral.id}&job={job.id}") == ["Aisha Bello"]
    monkeypatch.setitem(app.config, "PER_PAGE", 1)
    html = client.get(f"/candidates/?source={referral.id}&sort=newest").get_data(as_text=True)
    link = re.search(r'href="(/candidates/\?[^"]*)">Next</a>', html).group(1)
    assert "page=2" in link and f"source={referral.id}" in link and "sort=newest" in link


@pytest.mark.parametrize("query", ["?source=abc", "?source=" + "9" * 30, "?source=-3"])
def test_a_source_value_not_offered_is_ignored_or_matches_nothing(client, auth, query):
    auth.login(Role.HIRING_MANAGER)

    assert client.get(f"/candidates/{query}").status_code == 200


def test_another_teams_source_matches_nothing(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    factories.CandidateFactory(team=manager.team, source="Referral")
    theirs = source_named(db, factories.TeamFactory(), "Referral")

    html = client.get(f"/candidates/?source={theirs.id}").get_data(as_text=True)

    assert "No candidate matches these filters." in html


def test_the_source_filter_runs_the_same_queries_for_3_and_30_candidates(
    client, auth, db, count_queries
):
    manager = auth.login(Role.HIRING_MANAGER)
    job = job_with_plan(manager.team)
    referral = source_named(db, manager.team, "Referral")
    path = f"/candidates/?source={referral.id}&job={job.id}&status=active&sort=activity"

    def add(number):
        for _ in range(number):
            factories.ApplicationFactory(
                team=manager.team,
                job=job,
                current_stage=job.stages[0],
                candidate=factories.CandidateFactory(team=manager.team, source="Referral"),
            )

    add(3)
    db.session.expunge_all()
    with count_queries() as few:
        client.get(path)
    add(22)
    db.session.expunge_all()
    with count_queries() as many:
        html = client.get(path).get_data(as_text=True)

    assert html.count("Senior Backend Developer ·") == 25
    assert few.count == many.count


# The migration --------------------------------------------------------------------------------

BEFORE_SOURCES, SOURCES = "3c2b7e9d41a0", "7b1e4c2d9f30"


def test_the_migration_gives_every_team_the_built_ins_and_its_candidates_sources(app):
    """Existing teams get the built-in sources, then the distinct sources their candidates
    carry; a spelling that differs only in case or spaces takes the source's."""
    with app.app_context():
        team_id = None
        try:
            flask_migrate.downgrade(revision=BEFORE_SOURCES)
            with _db.engine.begin() as connection:
                team_id = connection.execute(
                    text(
                        "INSERT INTO team (name, slug, timezone, max_plan_minutes, "
                        "two_factor_required, created_at, updated_at) VALUES ('Old', "
                        "'old-team', 'UTC', 360, false, '2026-01-01', '2026-01-01') RETURNING id"
                    )
                ).scalar_one()
                for number, source in enumerate(
                    ["referral ", "LinkedIn", "LinkedIn", "", "Meetup"]
                ):
                    connection.execute(
                        text(
                            "INSERT INTO candidate (team_id, name, email, phone, links, source, "
                            "notes, created_at, updated_at) VALUES (:team, 'C', :email, '', '', "
                            ":source, '', '2026-01-01', '2026-01-01')"
                        ),
                        {"team": team_id, "email": f"c{number}@old.example", "source": source},
                    )

            flask_migrate.upgrade(revision=SOURCES)

            with _db.engine.connect() as connection:
                rows = connection.execute(
                    text(
                        "SELECT name, position, builtin FROM candidate_source "
                        "WHERE team_id = :team ORDER BY position"
                    ),
                    {"team": team_id},
                ).all()
                carried = (
                    connection.execute(
                        text("SELECT source FROM candidate WHERE team_id = :team ORDER BY email"),
                        {"team": team_id},
                    )
                    .scalars()
                    .all()
                )
            assert [tuple(row) for row in rows] == [
                ("Careers page", 1, True),
                ("Referral", 2, True),
                ("Agency", 3, True),
                ("Sourced", 4, True),
                ("LinkedIn", 5, False),
                ("Meetup", 6, False),
            ]
            assert carried == ["Referral", "LinkedIn", "LinkedIn", "", "Meetup"]
        finally:
            _db.session.remove()
            flask_migrate.upgrade()
            if team_id is not None:
                delete_committed_team(_db.engine, team_id)
