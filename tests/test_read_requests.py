"""On PostgreSQL a reading request's plain reads run outside a transaction; anything else
opens one, which ends with the request as before."""

from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, event, text

from interviewer import read_requests
from tests.conftest import _writes_in_reads, postgres_engine_or_skip


@pytest.fixture
def engine(app):
    url = postgres_engine_or_skip(app, "psycopg's transactions are PostgreSQL's").url
    engine = create_engine(url, pool_size=1, max_overflow=0)
    read_requests.configure(engine)
    commands = []
    event.listen(engine, "before_cursor_execute", lambda *a: commands.append(a[2]))
    engine.commands = commands
    yield engine
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS read_requests_probe"))
    engine.dispose()


def _status(connection) -> TransactionStatus:
    return connection.connection.driver_connection.info.transaction_status


@pytest.mark.parametrize(
    ("statement", "plain"),
    [
        ("SELECT 1", True),
        ("  select user_account.id FROM user_account", True),
        ("SELECT id FROM application WHERE id = 1 FOR UPDATE", False),
        ("SELECT id FROM job FOR NO KEY UPDATE SKIP LOCKED", False),
        ("SELECT id FROM job\nFOR\n  share", False),
        ("SELECT format('%s', name), before_update FROM job", True),
        ("SELECT set_config('jit', 'off', true)", False),
        ("SELECT pg_advisory_xact_lock(1, 2)", False),
        ("UPDATE api_token SET last_used_at = now()", False),
        ("WITH gone AS (DELETE FROM job RETURNING id) SELECT count(*) FROM gone", False),
        ("SAVEPOINT sa_savepoint_1", False),
    ],
)
def test_only_a_select_that_locks_and_sets_nothing_is_a_plain_read(statement, plain):
    assert read_requests.plain_read(statement) is plain


def test_a_reading_request_reads_without_begin_or_rollback(app, engine):
    with app.test_request_context("/jobs", method="GET"), engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
        assert connection.execute(text("SELECT 2")).scalar() == 2
        assert _status(connection) is TransactionStatus.IDLE
        connection.rollback()
    with engine.connect() as connection:
        # Back in the pool, the connection begins transactions again.
        connection.execute(text("SELECT 1"))
        assert _status(connection) is TransactionStatus.INTRANS


def test_a_changing_request_reads_in_a_transaction(app, engine):
    with app.test_request_context("/jobs/new", method="POST"), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        assert _status(connection) is TransactionStatus.INTRANS


def test_a_write_in_a_reading_request_is_undone_by_its_rollback(app, engine):
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE read_requests_probe (n integer)"))
    with app.test_request_context("/api/v1/jobs", method="GET"), engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM read_requests_probe"))
        connection.execute(text("INSERT INTO read_requests_probe VALUES (1)"))
        connection.execute(text("INSERT INTO read_requests_probe VALUES (2)"))
        assert _status(connection) is TransactionStatus.INTRANS
        connection.rollback()
    _writes_in_reads.clear()  # written on purpose, in a table of this test's own
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM read_requests_probe")).scalar() == 0


def test_a_setting_for_the_transaction_lasts_to_the_end_of_the_request(app, engine):
    with app.test_request_context("/reports/funnel", method="GET"), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        connection.execute(text("SELECT set_config('work_mem', '7MB', true)"))
        assert connection.execute(text("SHOW work_mem")).scalar() == "7MB"
        connection.rollback()
    with engine.connect() as connection:
        assert connection.execute(text("SHOW work_mem")).scalar() != "7MB"


def test_a_savepoint_and_a_streamed_read_in_a_reading_request_work(app, engine):
    request = app.test_request_context("/reports/ratings.csv", method="GET")
    with request, engine.connect() as connection:
        streamed = connection.execute(
            text("SELECT generate_series(1, 5)"), execution_options={"yield_per": 2}
        )
        assert [row[0] for row in streamed] == [1, 2, 3, 4, 5]
        with connection.begin_nested():
            assert connection.execute(text("SELECT 1")).scalar() == 1
        connection.rollback()


def test_other_databases_are_left_alone(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'reads.db'}")
    read_requests.configure(engine)
    assert not event.contains(engine, "checkout", read_requests._checkout)
    engine.dispose()


def test_a_connection_asked_for_autocommit_runs_what_no_transaction_may(app, engine):
    """``flask`` commands and the bench run VACUUM on a connection set to autocommit."""
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE read_requests_probe (id integer)"))
        connection.commit()
    for context in (app.app_context(), app.test_request_context("/jobs", method="GET")):
        with context, engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(text("VACUUM ANALYZE read_requests_probe"))
