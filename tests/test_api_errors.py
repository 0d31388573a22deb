"""Every error under /api is problem details, and the document says so; tokens have limits."""

from __future__ import annotations

import pytest
from flask import Blueprint
from sqlalchemy import select

from interviewer import create_app
from interviewer.api import tokens
from interviewer.api.auth import token_required
from interviewer.auth.models import Role
from interviewer.candidates.models import Candidate
from interviewer.extensions import db as _db
from tests import factories
from tests.api_support import bearer

PROBLEM = "application/problem+json"


def _manager():
    return factories.UserFactory(role=Role.HIRING_MANAGER)


def test_an_unknown_api_path_is_a_404_problem(client, db):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert response.json == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": response.json["detail"],
    }


def test_a_method_not_allowed_is_a_405_problem_with_allow(client, db):
    response = client.delete("/api/v1/skills", headers=bearer(_manager()))

    assert response.status_code == 405
    assert response.mimetype == PROBLEM
    assert "GET" in response.headers["Allow"]


def test_invalid_query_is_a_422_problem_naming_the_field(client, db):
    response = client.get("/api/v1/skills?limit=0", headers=bearer(_manager()))

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.json["errors"][0]["field"] == "limit"


def test_a_token_over_its_limit_gets_429_with_retry_after(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3/minute")
    manager = _manager()
    headers = bearer(manager)
    answers = [client.get("/api/v1/levels", headers=headers).status_code for _ in range(4)]

    refused = client.get("/api/v1/levels", headers=headers)

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.mimetype == PROBLEM
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # The limit is the token's: another token of the same person still gets in.
    assert client.get("/api/v1/levels", headers=bearer(manager)).status_code == 200


boom = Blueprint("error_probe", __name__, url_prefix="/api/v1/probe")


@boom.post("/boom")
@token_required(tokens.WRITE)
def explode():
    factories.TeamFactory(name="Never saved")
    raise RuntimeError("boom")


@pytest.fixture(scope="module")
def boom_app(app):
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    other.register_blueprint(boom)
    other.test_client_class = app.test_client_class
    yield other
    with other.app_context():
        _db.engine.dispose()  # its own pool: close its connections before the session ends


def test_a_server_error_is_a_500_problem_and_nothing_is_saved(boom_app, db):
    from sqlalchemy import select

    from interviewer.auth.models import Team

    headers = bearer(_manager())
    boom_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = boom_app.test_client().post("/api/v1/probe/boom", headers=headers)

    assert response.status_code == 500
    assert response.mimetype == PROBLEM
    assert _db.session.scalar(select(Team).where(Team.name == "Never saved")) is None


def test_a_token_without_the_scope_is_a_403_problem(boom_app, db):
    headers = bearer(_manager(), tokens.READ)

    response = boom_app.test_client().post("/api/v1/probe/boom", headers=headers)

    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    assert "write" in response.json["detail"]


def test_every_operation_documents_problem_details(client, db):
    document = client.get("/api/v1/openapi.json").json

    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert PROBLEM in default["content"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert "default" in operation["responses"], f"{method} {path}"


def test_text_no_page_would_keep_is_a_422_naming_the_field_before_anything_is_saved(client, db):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    headers = bearer(manager)

    body = client.post(
        "/api/v1/candidates", headers=headers, json={"name": "Ada\x00", "email": "a@example.org"}
    )
    query = client.get("/api/v1/skills?cursor=a%00b", headers=headers)

    assert body.status_code == 422 and body.mimetype == "application/problem+json"
    assert body.json["errors"][0]["field"] == "name"
    assert "U+0000" in body.json["errors"][0]["message"]
    assert query.status_code == 422 and query.json["errors"][0]["field"] == "cursor"
    assert not db.session.scalars(select(Candidate).where(Candidate.email == "a@example.org")).all()
