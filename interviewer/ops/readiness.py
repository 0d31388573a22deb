"""Whether the app can serve: the database answers and its schema is at the migrations' head."""

from __future__ import annotations

import logging
from functools import cache

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from interviewer.extensions import db

log = logging.getLogger(__name__)


@cache
def expected_revisions(directory: str) -> frozenset[str]:
    """The head revisions of the migrations in ``directory``; read once per process, since
    the code (and so its migrations) cannot change under a running process."""
    return frozenset(ScriptDirectory(directory).get_heads())


def current_revisions() -> frozenset[str]:
    """The revisions the database is at (none for an empty database), on a connection of
    its own so that the request's session is not touched. Raises ``SQLAlchemyError`` when
    the database cannot be reached."""
    with db.engine.connect() as connection:
        return frozenset(MigrationContext.configure(connection).get_current_heads())


def not_ready_reason() -> str | None:
    """Why the app cannot serve yet, in one line, or ``None`` when it can."""
    try:
        current = current_revisions()
    except SQLAlchemyError as error:
        log.warning("Readiness check: the database cannot be reached: %s", error)
        return f"the database cannot be reached ({type(error).__name__})"
    expected = expected_revisions(current_app.extensions["migrate"].directory)
    if current != expected:
        return (
            f"the database schema is at {_names(current)}, the code needs {_names(expected)}: "
            "run flask db upgrade"
        )
    return None


def head_revision() -> str:
    """The migrations' head, for the ready answer."""
    return _names(expected_revisions(current_app.extensions["migrate"].directory))


def _names(revisions: frozenset[str]) -> str:
    return ", ".join(sorted(revisions)) or "no revision"
