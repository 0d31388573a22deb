"""The probes: ``/healthz`` answers while the process is up, ``/readyz`` only while the
database answers and its schema is at the migrations' head; neither signs in, sets a cookie
or costs a query beyond the one readiness needs."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from interviewer import ROOT, create_app
from interviewer.auth.models import Role
from interviewer.extensions import db as _db
from interviewer.extensions import limiter

HEAD = ScriptDirectory(str(ROOT / "migrations")).get_current_head()


@pytest.fixture
def other_database(app):
    """Build an app on another database; the shared limiter goes back to the test app."""
    built = []

    def make(url: str):
        other = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        built.append(other)
        return other

    yield make
    for other in built:
        with other.app_context():
            _db.engine.dispose()
    limiter.init_app(app)


def test_healthz_answers_ok_without_the_database(client, count_queries):
    with count_queries() as counter:
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
    assert counter.count == 0


def test_healthz_loads_no_user_for_a_signed_in_caller(client, auth, count_queries):
    auth.login(Role.INTERVIEWER)

    with count_queries() as counter:
        response = client.get("/healthz")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert counter.count == 0


def test_readyz_is_ready_when_the_schema_is_at_the_head(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "schema": HEAD}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/interviewer.db",
        # Port 9 (discard) has no PostgreSQL behind it: the connection is refused at once.
        "postgresql+psycopg://nobody@127.0.0.1:9/interviewer",
    ],
    ids=["sqlite", "postgresql"],
)
def test_readyz_is_unavailable_when_the_database_cannot_be_reached(other_database, url):
    response = other_database(url).test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "reason": "the database cannot be reached (OperationalError)",
    }


def test_readyz_is_unavailable_on_an_empty_database(other_database, tmp_path):
    response = other_database(f"sqlite:///{tmp_path / 'empty.db'}").test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["reason"] == (
        f"the database schema is at no revision, the code needs {HEAD}: run flask db upgrade"
    )


def test_readyz_is_unavailable_while_the_schema_is_behind_the_head(other_database, tmp_path):
    behind = ScriptDirectory(str(ROOT / "migrations")).get_revision(HEAD).down_revision
    other = other_database(f"sqlite:///{tmp_path / 'behind.db'}")
    cli = other.test_cli_runner()
    # Stamping records a revision without running migrations: the probe reads only that.
    assert cli.invoke(args=["db", "stamp", behind]).exit_code == 0
    probe = other.test_client()

    response = probe.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["reason"] == (
        f"the database schema is at {behind}, the code needs {HEAD}: run flask db upgrade"
    )

    assert cli.invoke(args=["db", "stamp", "head"]).exit_code == 0
    assert probe.get("/readyz").get_json() == {"status": "ready", "schema": HEAD}
