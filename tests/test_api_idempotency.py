"""Idempotency-Key on creates: a retry replays the first answer, never creates twice.

A test-only create (a skill, through the catalog's service) stands on an app of its own, so
the suite's app and its walks never see it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Blueprint, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from interviewer import create_app
from interviewer.api import idempotency, tokens
from interviewer.api.auth import token_required
from interviewer.api.idempotency import idempotent
from interviewer.api.models import IdempotentRequest
from interviewer.api.problems import abort_problem
from interviewer.auth.models import Role
from interviewer.catalog import services
from interviewer.catalog.models import Skill
from interviewer.db import utcnow
from interviewer.extensions import csrf
from interviewer.extensions import db as _db
from tests import factories
from tests.api_support import bearer

probe = Blueprint("idempotency_probe", __name__, url_prefix="/api/v1/probe")
csrf.exempt(probe)


@probe.post("/skills")
@idempotent
@token_required(tokens.WRITE)
def create_probe_skill():
    """A create as the resource modules write them."""
    name = (request.get_json(silent=True) or {}).get("name", "")
    if not name:
        abort_problem(422, "Enter the skill's name.", field="name")
    skill = services.create_skill(
        _db.session, team_id=current_user.team_id, actor=current_user, name=name, kind="hard"
    )
    _db.session.commit()
    location = url_for("idempotency_probe.create_probe_skill", _external=True) + f"/{skill.id}"
    return {"id": skill.id, "name": skill.name}, 201, {"Location": location}


@pytest.fixture(scope="module")
def probe_app(app):
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    other.register_blueprint(probe)
    other.test_client_class = app.test_client_class
    yield other
    with other.app_context():
        _db.engine.dispose()  # its own pool: close its connections before the session ends


@pytest.fixture
def api(probe_app, db):
    return probe_app.test_client()


def _headers(key: str = "k-1"):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    return user, {**bearer(user), "Idempotency-Key": key}


def _skills(team_id: int) -> int:
    return _db.session.scalar(select(func.count()).where(Skill.team_id == team_id))


def test_a_retry_with_the_same_key_replays_the_answer_and_creates_once(api, db):
    user, headers = _headers()

    first = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)
    again = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _skills(user.team_id) == 1


def test_the_same_key_for_another_request_is_422(api, db):
    user, headers = _headers()
    api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)

    response = api.post("/api/v1/probe/skills", json={"name": "Rust"}, headers=headers)

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][0]["field"] == "Idempotency-Key"
    assert _skills(user.team_id) == 1


def test_without_a_key_each_request_creates(api, db):
    user, headers = _headers()
    del headers["Idempotency-Key"]

    api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)
    api.post("/api/v1/probe/skills", json={"name": "Rust"}, headers=headers)

    assert _skills(user.team_id) == 2


def test_keys_belong_to_their_token(api, db):
    user, headers = _headers()
    api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)
    other = {**bearer(user), "Idempotency-Key": headers["Idempotency-Key"]}

    response = api.post("/api/v1/probe/skills", json={"name": "Rust"}, headers=other)

    assert response.status_code == 201
    assert _skills(user.team_id) == 2


def test_an_error_is_not_kept_so_the_retry_runs_again(api, db):
    user, headers = _headers()
    refused = api.post("/api/v1/probe/skills", json={"name": ""}, headers=headers)
    assert refused.status_code == 422

    retried = api.post("/api/v1/probe/skills", json={"name": ""}, headers=headers)

    assert retried.status_code == 422
    assert "Idempotent-Replayed" not in retried.headers
    assert _db.session.scalar(select(func.count()).select_from(IdempotentRequest)) == 0


def test_a_request_still_running_with_the_key_is_409(api, db):
    user, headers = _headers()
    first = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)
    assert first.status_code == 201
    row = _db.session.scalar(select(IdempotentRequest))
    row.status = None  # as while the first request is still being answered
    _db.session.commit()

    response = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"


def test_two_requests_racing_with_one_key_create_one_row(api, db, monkeypatch):
    """The second request looked before the first had committed: the unique constraint
    stops its insert, and it replays the first's answer."""
    user, headers = _headers()
    first = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)
    monkeypatch.setattr(idempotency, "_find", _blind_once(idempotency._find))

    racer = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)

    assert racer.status_code == 201
    assert racer.json == first.json
    assert racer.headers["Idempotent-Replayed"] == "true"
    assert _skills(user.team_id) == 1
    assert _db.session.scalar(select(func.count()).select_from(IdempotentRequest)) == 1


def _blind_once(find):
    calls = []

    def blind(*args):
        calls.append(args)
        return None if len(calls) == 1 else find(*args)

    return blind


def test_keys_expire_after_a_day(api, db):
    user, headers = _headers()
    api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)
    _other, elsewhere = _headers("k-2")
    api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=elsewhere)
    for row in _db.session.scalars(select(IdempotentRequest)):
        row.created_at = utcnow() - timedelta(hours=25)
    _db.session.commit()

    response = api.post("/api/v1/probe/skills", json={"name": "Rust"}, headers=headers)

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert _db.session.scalar(select(func.count()).select_from(IdempotentRequest)) == 1


def test_a_key_too_long_is_400_naming_the_header(api, db):
    _user, headers = _headers("x" * 256)

    response = api.post("/api/v1/probe/skills", json={"name": "Go"}, headers=headers)

    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "Idempotency-Key"


def test_two_requests_at_once_with_one_key_create_one_skill_on_postgresql(
    app, probe_app, monkeypatch
):
    """Really at once: both look and find no key, then both insert; the unique constraint
    holds the second until the first commits, and it replays or answers 409."""
    import threading
    import uuid

    from sqlalchemy.orm import Session

    from interviewer.auth.models import Team, User
    from tests.conftest import delete_committed_team, postgres_engine_or_skip

    engine = postgres_engine_or_skip(app, "two requests cannot insert at the same time")
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        user = User(
            team=team,
            email=f"race-{key}@example.org",
            name="Race",
            role=Role.HIRING_MANAGER,
            password_hash=factories._PASSWORD_HASH,
        )
        session.add(user)
        session.flush()
        _token, raw = tokens.issue(session, user, kind="personal", name="race", scopes=["write"])
        session.commit()
        team_id = team.id
    barrier = threading.Barrier(2)
    seen = threading.local()
    original = idempotency._find

    def find_then_meet(*args):
        found = original(*args)
        if not getattr(seen, "done", False):
            seen.done = True
            barrier.wait(timeout=10)  # both found no key: their inserts collide
        return found

    monkeypatch.setattr(idempotency, "_find", find_then_meet)
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "race"}
    answers = []

    def attempt():
        response = probe_app.test_client().post(
            "/api/v1/probe/skills", json={"name": "Go"}, headers=headers
        )
        answers.append((response.status_code, response.headers.get("Idempotent-Replayed")))

    try:
        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with Session(engine) as session:
            skills = session.scalar(
                select(func.count()).select_from(Skill).where(Skill.team_id == team_id)
            )
            rows = session.scalar(
                select(func.count())
                .select_from(IdempotentRequest)
                .where(IdempotentRequest.team_id == team_id)
            )
    finally:
        delete_committed_team(engine, team_id)

    assert skills == 1 and rows == 1
    assert sorted(answers) in ([(201, None), (201, "true")], [(201, None), (409, None)])
