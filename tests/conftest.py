"""Shared fixtures: the app (schema built once from the migrations), a rolled-back
database session per test, the test client and CLI runner, an ``auth`` helper and
``count_queries``.

Set ``TEST_DATABASE_URL`` to run the suite on PostgreSQL; the default is a SQLite
file in a temporary folder.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import flask_migrate
import pyotp
import pytest
from flask import has_request_context, request
from flask.testing import FlaskClient
from sqlalchemy import delete, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from interviewer import create_app, page_cache, sqlite
from interviewer.auth.models import Role
from interviewer.extensions import db as _db
from interviewer.extensions import limiter
from tests import factories

PASSWORD = factories.PASSWORD

#: Set to 1 (as CI does) to make a missing service fail the tests that need it.
REQUIRE_SERVICES_ENV = "INTERVIEWER_REQUIRE_SERVICES"


def require_service(name: str, reachable: bool, reason: str) -> None:
    """Skip the calling test when service ``name`` is not reachable, saying why.

    With ``INTERVIEWER_REQUIRE_SERVICES=1`` (CI) the test fails instead, so a broken
    service cannot turn into a quietly skipped check.
    """
    if reachable:
        return
    message = f"{name} is not reachable: {reason}"
    if os.environ.get(REQUIRE_SERVICES_ENV, "").strip() == "1":
        pytest.fail(f"{message} ({REQUIRE_SERVICES_ENV}=1 requires it)", pytrace=False)
    pytest.skip(f"{message} (set {REQUIRE_SERVICES_ENV}=1 to fail instead)")


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_schema() -> None:
    """Leave an empty database, then build the schema from the migrations."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        _db.drop_all()
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    flask_migrate.upgrade()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory):
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=_database_url(tmp_path_factory),
        FILES_DIR=str(tmp_path_factory.mktemp("files")),
    )
    app.test_client_class = _TestClient
    with app.app_context():
        reset_schema()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _redis_url() -> str:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return ""
    return "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", "redis"])
def two_apps(request, app):
    """(first, second, teams): two more apps on the test database, committing for real, that
    keep their pages each in its own memory (``memory``) or both in one Redis (``redis``);
    the teams whose ids a test adds to ``teams`` are deleted after it."""
    cache_url = ""
    if request.param == "redis":
        cache_url = _redis_url()
        require_service("Redis", bool(cache_url), "127.0.0.1:6379 does not answer")
    made = [
        create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            PAGE_CACHE_URL=cache_url,
            RATELIMIT_ENABLED=False,
        )
        for _ in range(2)
    ]
    assert made[0].extensions[page_cache.EXTENSION] is not made[1].extensions[page_cache.EXTENSION]
    teams: list[int] = []
    yield *made, teams
    with made[0].app_context():
        for team_id in teams:
            delete_committed_team(_db.engine, team_id)
    for each in made:
        with each.app_context():
            _db.engine.dispose()


def postgres_engine_or_skip(app, why: str):
    """The test database's engine when it is PostgreSQL; on SQLite the test is skipped.

    Races need real concurrent writers, which SQLite does not have (``why`` says which).
    """
    with app.app_context():
        engine = _db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip(
            f"needs PostgreSQL (set TEST_DATABASE_URL): SQLite lets one writer in at a time, "
            f"so {why}"
        )
    return engine


def delete_committed_team(engine, team_id: int) -> None:
    """Remove a team that a test really committed, with everything in it.

    One statement: every row cascades through its ``team_id``, and the keys that guard
    evidence (NO ACTION) are checked only once the statement has taken all of them.
    """
    from interviewer.auth.models import Team

    with Session(engine) as session:
        session.execute(delete(Team).where(Team.id == team_id))
        session.commit()


class _TestSession(scoped_session):
    """One session for the whole test; requests' teardown must not detach the test's rows."""

    def remove(self) -> None:
        """Kept open: the ``db`` fixture closes it when the test ends."""

    def close_for_good(self) -> None:
        super().remove()


@contextmanager
def rolled_back(app, connection=None) -> Iterator:
    """``_db``'s session inside a transaction rolled back at the end: on a connection of its
    own, or in a SAVEPOINT of ``connection`` (whose rows it then starts from). Yields the
    connection.

    Commits in views release a SAVEPOINT only. No app context stays pushed, so each request
    gets its own (and its own ``g``).
    """
    own = connection is None
    if own:
        with app.app_context():
            connection = _db.engine.connect()
    transaction = connection.begin() if own else connection.begin_nested()
    original = _db.session
    _db.session = _TestSession(
        sessionmaker(bind=connection, class_=Session, join_transaction_mode="create_savepoint")
    )
    limiter.reset()
    try:
        yield connection
    finally:
        _db.session.close_for_good()
        _db.session = original
        transaction.rollback()
        if own:
            connection.close()


@pytest.fixture
def db(app) -> Iterator:
    """The ``db`` extension with its session inside a transaction rolled back after the
    test, so each test starts from the empty schema (``rolled_back``)."""
    with rolled_back(app):
        yield _db


class _TestClient(FlaskClient):
    """Writes the test's own unsaved rows before each request, so that what a request runs
    is the request's alone (``reads_do_not_write`` looks at it)."""

    def open(self, *args, **kwargs):
        if isinstance(_db.session, _TestSession):
            _db.session.flush()
        return super().open(*args, **kwargs)


#: Rows written by requests that only read (GET, HEAD, OPTIONS), while the current test ran.
_writes_in_reads: list[str] = []
API_TOKEN_USE = "UPDATE api_token SET last_used_at="


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes_in_reads(conn, cursor, statement, parameters, context, executemany):
    if not has_request_context() or sqlite.will_write():
        return
    if statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
        if statement.startswith(API_TOKEN_USE):
            return  # an API token's last use, noted on any request (interviewer.api.tokens)
        _writes_in_reads.append(f"{request.method} {request.path}: {statement[:60]}...")


def forget_kept_pages(app) -> None:
    """Empty ``app``'s memory of kept pages, so that its next request renders its page (a
    test counting a view's own statements counts them on a rendering)."""
    kept = app.extensions.get(page_cache.EXTENSION)
    if kept is not None and isinstance(kept.store, page_cache.MemoryStore):
        kept.store = page_cache.MemoryStore()


@pytest.fixture(autouse=True)
def fresh_page_cache(request):
    """Each test starts with no kept pages: tests share one app and roll their rows back, so
    a later test's rows can carry an earlier one's ids, times and versions."""
    if "app" in request.fixturenames:
        forget_kept_pages(request.getfixturevalue("app"))
    yield


@pytest.fixture(autouse=True)
def reads_do_not_write():
    """Fail the test if a GET request wrote to the database.

    Every change is a POST: on SQLite a reading request's transaction begins deferred
    (``interviewer.sqlite``), and one that then writes can fail at once under contention.
    """
    _writes_in_reads.clear()
    yield
    if _writes_in_reads:
        found = "\n".join(dict.fromkeys(_writes_in_reads))
        _writes_in_reads.clear()
        pytest.fail(f"a request that only reads wrote rows (make it a POST):\n{found}")


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out through the real sign-in form."""

    def __init__(self, client) -> None:
        self.client = client
        self.user = None

    def login(self, role: Role | str = Role.HIRING_MANAGER, user=None, **user_fields):
        """Sign in as ``user``, or as a new user of ``role``; returns the user."""
        if user is None:
            user = factories.UserFactory(role=Role(role), **user_fields)
        response = self.client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, "sign-in failed"
        if response.headers["Location"].startswith("/login/two-factor"):
            # The code its app would show now; a code is accepted once, so signing in again
            # within its 30 seconds needs the replay guard cleared.
            user.totp_last_step = None
            code = pyotp.TOTP(user.totp_secret).now()
            response = self.client.post("/login/two-factor", data={"code": code})
            assert response.status_code == 302, "the two-factor code was refused"
        self.user = user
        return user

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(db):
    """``with count_queries() as counter: ...`` counts the SQL statements run inside.

    Transaction bookkeeping (SAVEPOINT, RELEASE, ROLLBACK TO) is not counted.
    """

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            word = statement.lstrip().split(" ", 1)[0].upper()
            if word not in {"SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"}:
                counter.statements.append(statement)

        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before_cursor_execute)

    return counting
