"""The skill catalogue: listing, adding, editing and deleting skills."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.catalog.models import Expectation, Skill, SkillKind
from tests import factories


def _skill_data(**fields):
    data = {"name": "API design", "kind": "hard", "category": "Back-end", "description": ""}
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/catalog/"),
        ("get", "/catalog/skills/new"),
        ("post", "/catalog/skills/new"),
        ("get", "/catalog/skills/{id}/edit"),
        ("post", "/catalog/skills/{id}/edit"),
        ("post", "/catalog/skills/{id}/delete"),
    ],
)
def test_interviewer_cannot_open_or_change_the_skill_catalogue(client, auth, method, path):
    user = auth.login(Role.INTERVIEWER)
    skill = factories.SkillFactory(team=user.team)
    response = getattr(client, method)(path.format(id=skill.id), data=_skill_data())
    assert response.status_code == 403
    assert factories.db.session.scalar(select(Skill.name).where(Skill.id == skill.id)) == (
        skill.name
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIRING_MANAGER])
def test_manager_adds_a_skill_and_the_change_is_audited(client, auth, db, role):
    user = auth.login(role)
    response = client.post(
        "/catalog/skills/new",
        data=_skill_data(name="  Caching & performance ", category="Back-end"),
    )
    assert response.status_code == 302
    skill = db.session.scalar(select(Skill).where(Skill.team_id == user.team_id))
    assert (skill.name, skill.kind, skill.category) == (
        "Caching & performance",
        SkillKind.HARD,
        "Back-end",
    )
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.subject_type == "skill", AuditEvent.subject_id == skill.id
        )
    )
    assert (event.action, event.actor_id, event.subject_type) == ("skill.created", user.id, "skill")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added Caching &amp; performance" in page


def test_a_duplicate_skill_name_gets_a_message_on_the_name_field(client, auth, db):
    user = auth.login()
    factories.SkillFactory(team=user.team, name="Testing")
    response = client.post("/catalog/skills/new", data=_skill_data(name="testing"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is already a skill called Testing." in html
    assert 'id="name"' in html and "is-invalid" in html
    assert 'value="testing"' in html
    assert len(db.session.scalars(select(Skill).where(Skill.team_id == user.team_id)).all()) == 1


def test_the_same_skill_name_is_fine_in_another_team(client, auth, db):
    user = auth.login()
    factories.SkillFactory(name="Testing")
    response = client.post("/catalog/skills/new", data=_skill_data(name="Testing"))
    assert response.status_code == 302
    assert db.session.scalar(select(Skill).where(Skill.team_id == user.team_id)).name == "Testing"


def test_a_skill_needs_a_name_and_a_known_kind(client, auth):
    auth.login()
    html = client.post(
        "/catalog/skills/new", data=_skill_data(name="  ", kind="telepathy")
    ).get_data(as_text=True)
    assert "Give the skill a name." in html
    assert "Not a valid choice" in html


def test_manager_edits_a_skill(client, auth, db):
    user = auth.login()
    skill = factories.SkillFactory(team=user.team, name="Comms", kind=SkillKind.HARD)
    form = client.get(f"/catalog/skills/{skill.id}/edit").get_data(as_text=True)
    assert 'value="Comms"' in form
    response = client.post(
        f"/catalog/skills/{skill.id}/edit",
        data=_skill_data(name="Communication", kind="soft", category="Collaboration"),
    )
    assert response.status_code == 302
    db.session.refresh(skill)
    assert (skill.name, skill.kind, skill.category) == (
        "Communication",
        SkillKind.SOFT,
        "Collaboration",
    )
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.subject_type == "skill", AuditEvent.subject_id == skill.id
        )
    )
    assert list(actions) == ["skill.updated"]


def test_renaming_a_skill_to_another_skills_name_is_refused(client, auth, db):
    user = auth.login()
    factories.SkillFactory(team=user.team, name="Security")
    skill = factories.SkillFactory(team=user.team, name="Testing")
    html = client.post(
        f"/catalog/skills/{skill.id}/edit", data=_skill_data(name="SECURITY")
    ).get_data(as_text=True)
    assert "There is already a skill called Security." in html
    db.session.refresh(skill)
    assert skill.name == "Testing"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/catalog/skills/{id}/edit"),
        ("post", "/catalog/skills/{id}/edit"),
        ("get", "/catalog/skills/{id}/delete"),
        ("post", "/catalog/skills/{id}/delete"),
    ],
)
def test_another_teams_skill_is_not_found(client, auth, db, method, path):
    auth.login(Role.ADMIN)
    skill = factories.SkillFactory(name="Theirs")
    response = getattr(client, method)(path.format(id=skill.id), data=_skill_data(name="Mine"))
    assert response.status_code == 404
    db.session.refresh(skill)
    assert skill.name == "Theirs"


def test_skills_are_listed_grouped_by_kind_then_category(client, auth):
    user = auth.login()
    factories.SkillFactory(team=user.team, name="Teamwork", kind=SkillKind.SOFT, category="People")
    factories.SkillFactory(team=user.team, name="SQL", kind=SkillKind.HARD, category="Data")
    factories.SkillFactory(team=user.team, name="REST", kind=SkillKind.HARD, category="Back-end")
    factories.SkillFactory(name="Other team's skill")
    html = client.get("/catalog/").get_data(as_text=True)
    order = [
        html.index(text)
        for text in ("Hard skills", "Back-end", "REST", "Data", "SQL", "Soft skills")
    ]
    assert order == sorted(order)
    assert html.index("Soft skills") < html.index("Teamwork")
    assert "Other team&#39;s skill" not in html


def test_an_empty_catalogue_says_how_to_add_skills_and_levels(client, auth):
    auth.login()
    html = client.get("/catalog/").get_data(as_text=True)
    assert "No skills yet." in html and "Add the first skill" in html
    assert "No levels yet." in html and "Add the first level" in html


def test_the_catalogue_page_runs_the_same_queries_for_3_and_30_skills(client, auth, count_queries):
    user = auth.login()
    factories.LevelFactory.create_batch(3, team=user.team)
    counts = []
    for total in (3, 30):
        factories.SkillFactory.create_batch(total - len(counts) * 3, team=user.team)
        with count_queries() as counter:
            assert client.get("/catalog/").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_deleting_an_unused_skill_asks_first_then_removes_its_matrix_row(client, auth, db):
    user = auth.login()
    skill = factories.SkillFactory(team=user.team, name="Fax machines")
    factories.ExpectationFactory(team=user.team, skill=skill, proficiency=2)
    page = client.get(f"/catalog/skills/{skill.id}/delete").get_data(as_text=True)
    assert "Delete the skill Fax machines?" in page
    assert "removes its 1 filled cell of the competency matrix" in page
    assert db.session.get(Skill, skill.id) is not None
    response = client.post(f"/catalog/skills/{skill.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(Skill).where(Skill.id == skill.id)) is None
    assert db.session.scalar(select(Expectation).where(Expectation.skill_id == skill.id)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "skill.deleted"))
    assert event.data == {"name": "Fax machines"}


def test_a_skill_used_by_plans_and_scorecards_is_not_deleted_and_the_page_says_where(
    client, auth, db
):
    user = auth.login()
    skill = factories.SkillFactory(team=user.team, name="System design")
    stage = factories.PlanStageFactory(
        team=user.team, name="Architecture chat", job__title="Senior Backend Developer"
    )
    stage.focus_skills.append(skill)
    factories.KitItemFactory(
        team=user.team, skill=skill, kit_version__plan_stage__job__title="Staff Engineer"
    )
    factories.RatingFactory(team=user.team, skill=skill)
    db.session.flush()

    page = client.get(f"/catalog/skills/{skill.id}/delete").get_data(as_text=True)
    assert "cannot be deleted while it is used" in page
    assert "focus skill in Senior Backend Developer (Architecture chat)" in page
    assert "interview kit in Staff Engineer" in page
    assert "rated on 1 scorecard" in page
    assert "Delete System design</button>" not in page

    response = client.post(f"/catalog/skills/{skill.id}/delete")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "System design is still used: focus skill in Senior Backend Developer" in html
    assert db.session.scalar(select(Skill.id).where(Skill.id == skill.id)) == skill.id
