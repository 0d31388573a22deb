"""On PostgreSQL, a request that only reads runs its plain reads outside a transaction.

A transaction costs two round trips of its own: the driver sends ``BEGIN`` before the first
statement and the pool sends ``ROLLBACK`` when the connection comes back. For a request that
only reads (GET, HEAD, OPTIONS: every change is a POST) they buy nothing: under READ
COMMITTED, PostgreSQL's level, each statement of a transaction sees its own snapshot anyway.
So while a reading request holds a connection, the driver commits each statement by itself
(psycopg's ``autocommit``), and neither round trip is made.

The first statement that is not a plain read opens a transaction, which lasts to the end of
the request as before: a write (an API token's last use) is still committed or rolled back
with the request, and ``set_config(..., true)`` (``SET LOCAL``), transaction-level advisory
locks, ``FOR UPDATE``, savepoints and server-side cursors keep their meaning. Other requests,
commands and background jobs are left alone, and SQLite has ``interviewer.sqlite``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from interviewer import sqlite

#: A SELECT that locks rows reads and writes (its locks last to the end of the transaction).
LOCKING = re.compile(r"FOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b")
#: What a SELECT may call that sets something for the rest of the transaction.
TRANSACTION_CALLS = ("SET_CONFIG", "_XACT_LOCK")


def init_app(app: Flask) -> None:
    """Let each PostgreSQL engine of ``app`` (after ``db.init_app``) read without a
    transaction in reading requests; other engines are left alone."""
    from interviewer.extensions import db

    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        configure(engine)


def configure(engine: Engine) -> None:
    """Watch ``engine``'s checkouts, statements and checkins (PostgreSQL through psycopg)."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    from psycopg import ServerCursor

    def before_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        driver = cursor.connection
        if (
            driver.autocommit
            and (executemany or isinstance(cursor, ServerCursor) or not plain_read(statement))
            # A connection asked for autocommit (VACUUM, say) keeps it.
            and conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT"
        ):
            # From here on the request runs in a transaction, begun by this statement.
            driver.autocommit = False

    event.listen(engine, "checkout", _checkout)
    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "checkin", _checkin)


@lru_cache(maxsize=2048)
def plain_read(statement: str) -> bool:
    """Whether ``statement`` only reads (a SELECT that locks no row, sets nothing for the
    transaction and takes no transaction lock), so that it may run outside a transaction.

    Kept per statement: the app's statements are few and come again and again (SQLAlchemy
    caches their text)."""
    if statement.lstrip()[:6].upper() != "SELECT":
        return False
    text = statement.upper()
    if any(call in text for call in TRANSACTION_CALLS):
        return False
    # Each FOR that starts a word, matched where it stands: a search of the whole
    # statement would cost more than sending it.
    at = text.find("FOR")
    while at != -1:
        if (at == 0 or not _word(text[at - 1])) and LOCKING.match(text, at):
            return False
        at = text.find("FOR", at + 3)
    return True


def _word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    # Set either way: a connection never leaves the pool for a writer still in autocommit.
    dbapi_connection.autocommit = not sqlite.will_write()


def _checkin(dbapi_connection: Any, record: Any) -> None:
    if dbapi_connection is None or not dbapi_connection.autocommit:
        return
    try:
        dbapi_connection.autocommit = False
    except dbapi_connection.ProgrammingError:
        # Not idle (a broken connection): it is closed rather than pooled half reset.
        record.invalidate()
