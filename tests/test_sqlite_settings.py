"""How the app sets up SQLite: WAL and the busy timeout on a file, and which BEGIN each
transaction gets. Each test has an app on a database of its own, outside the suite's."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from interviewer import create_app
from interviewer.extensions import db


@pytest.fixture
def sqlite_app(tmp_path):
    def build(url: str | None = None, **overrides):
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url or f"sqlite:///{tmp_path / 'own.db'}",
            **overrides,
        )
        built.append(app)
        return app

    built = []
    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


def pragma(app, name: str):
    with app.app_context(), db.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_a_database_file_runs_in_wal_with_the_configured_busy_timeout(sqlite_app):
    app = sqlite_app(SQLITE_BUSY_TIMEOUT=2.5)

    assert pragma(app, "journal_mode") == "wal"
    assert pragma(app, "synchronous") == 1  # NORMAL
    assert pragma(app, "busy_timeout") == 2500
    assert pragma(app, "foreign_keys") == 1


def test_an_in_memory_database_keeps_its_own_journal(sqlite_app):
    app = sqlite_app("sqlite://")

    assert pragma(app, "journal_mode") == "memory"
    assert pragma(app, "foreign_keys") == 1


def test_reading_requests_begin_deferred_and_everything_else_takes_the_write_lock(sqlite_app):
    app = sqlite_app()
    begun: list[str] = []
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("BEGIN"):
            begun.append(statement)

    def begin_one(context) -> str:
        with context:
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
        return begun.pop()

    assert begin_one(app.test_request_context("/", method="GET")) == "BEGIN"
    assert begin_one(app.test_request_context("/", method="HEAD")) == "BEGIN"
    assert begin_one(app.test_request_context("/", method="POST")) == "BEGIN IMMEDIATE"
    assert begin_one(app.test_request_context("/", method="DELETE")) == "BEGIN IMMEDIATE"
    # Outside a request: a command or a background job.
    assert begin_one(app.app_context()) == "BEGIN IMMEDIATE"


def test_a_writer_commits_without_waiting_while_a_reader_is_open(sqlite_app):
    """WAL: an open read transaction does not hold up a commit, even with no busy timeout."""
    app = sqlite_app(SQLITE_BUSY_TIMEOUT=0)
    with app.app_context():
        engine = db.engine
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (body TEXT)")

    with engine.connect() as reader:
        with app.test_request_context("/", method="GET"):
            reader.exec_driver_sql("SELECT count(*) FROM note").scalar()
        # The reader's transaction is still open; the writer's is a command's.
        with engine.begin() as writer:
            writer.exec_driver_sql("INSERT INTO note VALUES ('written while a reader looked')")
        # The reader's snapshot stays as it began.
        assert reader.exec_driver_sql("SELECT count(*) FROM note").scalar() == 0

    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM note").scalar() == 1
