"""The API's catalog: skills, levels and the matrix, read with a token, scoped to the team."""

from __future__ import annotations

from datetime import timedelta

from interviewer.api import tokens
from interviewer.auth.models import Role
from interviewer.db import utcnow
from tests import factories
from tests.api_support import bearer


def _manager():
    return factories.UserFactory(role=Role.HIRING_MANAGER)


def test_skills_are_listed_by_name_in_pages_with_a_next_link(client, db):
    manager = _manager()
    for name in ("Go", "APIs", "Testing"):
        factories.SkillFactory(team=manager.team, name=name)
    factories.SkillFactory(name="Another team's")
    headers = bearer(manager, tokens.READ)

    first = client.get("/api/v1/skills?limit=2", headers=headers)
    assert first.status_code == 200
    assert [s["name"] for s in first.json["items"]] == ["APIs", "Go"]
    second = client.get(first.json["next"], headers=headers)
    assert [s["name"] for s in second.json["items"]] == ["Testing"]
    assert second.json["next"] is None
    assert first.json["items"][0]["created_at"].endswith("Z")


def test_another_teams_skill_is_404_as_problem_details(client, db):
    manager = _manager()
    theirs = factories.SkillFactory()

    response = client.get(f"/api/v1/skills/{theirs.id}", headers=bearer(manager))

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404


def test_no_token_expired_or_revoked_is_401_with_a_challenge(client, db):
    manager = _manager()
    assert client.get("/api/v1/skills").status_code == 401
    expired = bearer(manager, expires_at=utcnow() - timedelta(seconds=1))
    response = client.get("/api/v1/skills", headers=expired)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (
        client.get("/api/v1/skills", headers={"Authorization": "Bearer ivw_nope"}).status_code
        == 401
    )


def test_the_catalog_is_for_managers_as_on_the_pages(client, db):
    interviewer = factories.UserFactory(role=Role.INTERVIEWER)

    response = client.get("/api/v1/levels", headers=bearer(interviewer))

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_the_matrix_holds_levels_skills_and_expectations(client, db):
    manager = _manager()
    cell = factories.ExpectationFactory(team=manager.team)

    body = client.get("/api/v1/matrix", headers=bearer(manager)).json

    assert [e["skill_id"] for e in body["expectations"]] == [cell.skill_id]
    assert {s["id"] for s in body["skills"]} >= {cell.skill_id}


def test_the_openapi_document_is_3_1_and_lists_the_catalog(client, db):
    document = client.get("/api/v1/openapi.json").json

    assert document["openapi"].startswith("3.1")
    assert "/api/v1/skills/{skill_id}" in document["paths"]


def test_the_skill_list_costs_the_same_queries_for_3_skills_as_for_30(client, db, count_queries):
    manager = _manager()
    headers = bearer(manager)

    def listed(n: int) -> int:
        for _ in range(n):
            factories.SkillFactory(team=manager.team)
        db.session.commit()
        client.get("/api/v1/skills?limit=200", headers=headers)  # the token's use is noted
        with count_queries() as counter:
            response = client.get("/api/v1/skills?limit=200", headers=headers)
        assert response.status_code == 200
        return counter.count

    few = listed(3)
    many = listed(27)

    assert few == many
