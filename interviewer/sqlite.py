"""SQLite shared by concurrent writers: WAL, a busy timeout, and the write lock taken up front.

SQLite lets one writer in at a time. A transaction begun with a plain (deferred) ``BEGIN``
reads first and asks for the write lock only at its first write; when another connection
holds that lock, or has committed since this transaction's first read, SQLite answers
"database is locked" at once, whatever the busy timeout. So a transaction that is going to
write begins with ``BEGIN IMMEDIATE``: it takes the write lock before its first read and
waits its turn for up to ``SQLITE_BUSY_TIMEOUT`` seconds. Reads stay deferred and, in WAL
mode, neither wait for a writer nor hold one up.

What writes (``will_write``): a request of any method but GET, HEAD and OPTIONS (every
change is a POST, and the test suite fails any GET request that writes), and everything
outside a request: commands and background jobs.

SQLite's planner knows a table's size and an index's selectivity only from ``ANALYZE``: a
connection runs ``PRAGMA optimize`` when it closes, which analyses the tables its queries
used whose statistics are missing or stale (and does nothing otherwise), and the migrations
analyse the whole database after they run (``migrations/env.py``).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

#: Request methods that only read, so their transactions begin deferred.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Configure each SQLite engine of ``app`` (after ``db.init_app``); others are left alone."""
    from interviewer.extensions import db

    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        configure(engine, busy_timeout=app.config["SQLITE_BUSY_TIMEOUT"])


def configure(engine: Engine, busy_timeout: float) -> None:
    """Give ``engine``'s connections the pragmas below and its transactions the right BEGIN.

    ``busy_timeout`` is how many seconds a writer waits for the write lock before giving up.
    """
    if engine.dialect.name != "sqlite":
        return
    milliseconds = max(0, round(busy_timeout * 1000))

    def on_connect(dbapi_connection: sqlite3.Connection, connection_record: Any) -> None:
        prepare(dbapi_connection, milliseconds)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "close", on_close)
    event.listen(engine, "begin", begin)


def prepare(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Set up a new connection: foreign keys on, the busy timeout, WAL for a database file.

    pysqlite's own transaction handling is turned off (it would commit before a SAVEPOINT,
    which the test suite's isolation relies on); ``begin`` starts each transaction instead.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if _main_file(cursor):
            _use_wal(cursor)
    finally:
        cursor.close()


def on_close(dbapi_connection: sqlite3.Connection, connection_record: Any) -> None:
    """Before the pool closes a connection, let SQLite refresh the statistics it lacks."""
    optimize(dbapi_connection)


def optimize(dbapi_connection: sqlite3.Connection) -> None:
    """Run ``PRAGMA optimize``: ``ANALYZE`` on the tables this connection queried whose
    statistics are missing or out of date; cheap when there is nothing to do."""
    try:
        dbapi_connection.execute("PRAGMA optimize")
    except sqlite3.Error as error:
        # A closing connection must close whatever the statistics' fate.
        logger.warning("SQLite could not optimize on close: %s", error)


def _main_file(cursor: sqlite3.Cursor) -> str:
    """The file of the main database: empty for an in-memory (or temporary) one."""
    for _seq, name, file in cursor.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or ""
    return ""


def _use_wal(cursor: sqlite3.Cursor) -> None:
    # The journal mode is stored in the file: switching happens once per database, and
    # every later connection finds WAL already on.
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode.lower() != "wal":
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            logger.warning("SQLite kept journal mode %r: writers will wait for readers", mode)
            return
    # With WAL, NORMAL syncs at checkpoints only: a crash of the app loses nothing, a power
    # cut may lose the last commits but never corrupts the file.
    cursor.execute("PRAGMA synchronous=NORMAL")


def will_write() -> bool:
    """Whether a transaction beginning now is expected to write (see the module's docstring)."""
    return not has_request_context() or request.method not in READ_METHODS


def begin(connection: Connection) -> None:
    """Begin the transaction: IMMEDIATE (write lock now) for a writer, deferred for a reader."""
    connection.exec_driver_sql("BEGIN IMMEDIATE" if will_write() else "BEGIN")
