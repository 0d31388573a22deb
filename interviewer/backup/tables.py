"""What a team's export holds, found from the metadata rather than from a list kept by hand.

Every table whose rows reach the ``team`` table, by a ``team_id`` or through a parent that
does, belongs to the team; a table added later is exported without a change here. Secret
columns (password hashes, feed tokens) are never written; ``SECRETS`` says what an import
puts in their place. ``codec`` turns each column's values into plain JSON and back, so
datetimes, decimals, enums and JSON documents survive the trip exactly.
"""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    MetaData,
    String,
    Table,
    select,
    type_coerce,
)
from sqlalchemy import types as sqltypes

from interviewer.auth.models import Team

#: Name and version of the file format; a reader refuses any other.
FORMAT = "interviewer-team-export"
VERSION = 1

#: Tables that hold no team's data. Every other table must reach ``team`` (a test holds
#: the metadata to this), or its rows would be left out of the export unseen.
NOT_TEAM_DATA: frozenset[str] = frozenset()

#: A password hash that matches no password (werkzeug wants ``method$salt$hash``).
UNUSABLE_PASSWORD = "!imported: no password yet (flask set-password)"

#: Secret columns, never exported, and what an import puts in their place.
SECRETS: dict[tuple[str, str], str | None] = {
    ("user_account", "password_hash"): UNUSABLE_PASSWORD,
    ("user_account", "calendar_token"): None,
}
#: Columns whose names look secret but are not (none yet).
NOT_SECRET: frozenset[tuple[str, str]] = frozenset()
#: Names that look secret: such a column is left out even before it is declared above.
SECRET_LOOKING = re.compile(r"password|passwd|secret|token|hash|api_?key|salt|private", re.I)


class BackupError(ValueError):
    """An export or import cannot go on; the message is the one line the command prints."""


def is_secret(column: Column) -> bool:
    """True for a column whose values must never leave the database."""
    key = (column.table.name, column.name)
    if key in NOT_SECRET:
        return False
    if "secret" in column.info:
        return bool(column.info["secret"])
    return key in SECRETS or bool(SECRET_LOOKING.search(column.name))


def replacement(column: Column) -> str | None:
    """What an import stores in a secret column: the declared stand-in, else nothing, else
    (for a required column) a random value nobody knows."""
    key = (column.table.name, column.name)
    if key in SECRETS:
        return SECRETS[key]
    return None if column.nullable else secrets.token_hex(16)


@dataclass(frozen=True)
class TeamTable:
    """A table of the team's data and the key by which its rows reach the team."""

    table: Table
    #: The column referring to the parent (``team_id`` for most); None for ``team`` itself.
    column: Column | None = None
    #: The column of the parent that ``column`` refers to.
    target: Column | None = None
    parent: TeamTable | None = None

    @property
    def name(self) -> str:
        return self.table.name

    def rows_of(self, team_id: int) -> ColumnElement[bool]:
        """The condition that picks this table's rows of one team."""
        if self.parent is None:
            return self.table.c.id == team_id
        if self.parent.parent is None:
            return self.column == team_id
        return self.column.in_(select(self.target).where(self.parent.rows_of(team_id)))

    @property
    def columns(self) -> list[Column]:
        """The columns an export writes: all but the secret ones, in the table's order."""
        return [column for column in self.table.columns if not is_secret(column)]

    @property
    def left_out(self) -> list[Column]:
        return [column for column in self.table.columns if is_secret(column)]


def team_tables(metadata: MetaData, root: Table | None = None) -> list[TeamTable]:
    """The team's tables in foreign-key order (parents first), ``root`` (``team``) first."""
    return discover(metadata, root)[0]


def discover(metadata: MetaData, root: Table | None = None) -> tuple[list[TeamTable], list[Table]]:
    """(team tables in foreign-key order, tables that reach no team)."""
    root = Team.__table__ if root is None else root
    found: dict[Table, TeamTable] = {root: TeamTable(root)}
    waiting = [table for table in metadata.sorted_tables if table is not root]
    # sorted_tables puts parents first; repeating covers keys it cannot order (cycles).
    progress = True
    while waiting and progress:
        progress = False
        for table in list(waiting):
            link = _link_to_team(table, found, root)
            if link is not None:
                found[table] = link
                waiting.remove(table)
                progress = True
    order = {table: rank for rank, table in enumerate(metadata.sorted_tables)}
    tables = sorted(found.values(), key=lambda item: (item.table is not root, order[item.table]))
    return tables, waiting


def _link_to_team(table: Table, found: dict[Table, TeamTable], root: Table) -> TeamTable | None:
    """The shortest sure way from ``table`` to the team: a key straight to ``team`` first,
    then a required key to a team table, by column name so the choice is stable."""
    keys = [
        key
        for key in table.foreign_keys
        if key.column.table in found and len(key.constraint.columns) == 1
    ]
    if not keys:
        return None
    key = min(
        keys, key=lambda key: (key.column.table is not root, key.parent.nullable, key.parent.name)
    )
    return TeamTable(table, key.parent, key.column, found[key.column.table])


# -- Revisions ---------------------------------------------------------------------------


def database_revision(connection: Connection) -> str:
    """The Alembic revision the database is at ("" before the first migration)."""
    return ",".join(sorted(MigrationContext.configure(connection).get_current_heads()))


def code_revision() -> str:
    """The head revision of this release's migrations."""
    migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return ",".join(sorted(script.get_heads()))


def require_head(connection: Connection) -> str:
    """The database's revision, after checking it is this release's head (the models then
    describe its tables exactly)."""
    database, code = database_revision(connection), code_revision()
    if database != code:
        raise BackupError(
            f"the database is at revision {database or '(none)'}, not at this release's "
            f"{code}: run `flask db upgrade` first"
        )
    return database


# -- Values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codec:
    """How one column is selected, written as JSON, and read back."""

    column: Column
    selected: ColumnElement
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _plain(column: Column) -> Callable[[Any], Any]:
    def encode(value: Any) -> Any:
        if isinstance(value, str | int | float | bool):
            return value
        raise BackupError(
            f"{column.table.name}.{column.name} holds {type(value).__name__} values, which "
            "the export cannot write yet (teach interviewer/backup/tables.py its type)"
        )

    return encode


def _parse(parser: Callable[[str], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        return parser(value) if isinstance(value, str) else value

    return decode


def codec(column: Column) -> Codec:
    """The codec for ``column``: each SQL type written as the plainest exact JSON."""
    kind = (
        column.type.impl_instance
        if isinstance(column.type, sqltypes.TypeDecorator)
        else column.type
    )
    selected, encode, decode = column, _plain(column), _same
    if isinstance(kind, sqltypes.Enum):
        # The value as stored, so the file does not depend on how the enum class spells it.
        selected = type_coerce(column, String()).label(column.name)
        encode = _same
    elif isinstance(kind, sqltypes.JSON):
        encode = _same
    elif isinstance(kind, sqltypes.DateTime):
        encode, decode = _isoformat, _parse(datetime.fromisoformat)
    elif isinstance(kind, sqltypes.Date):
        encode, decode = _isoformat, _parse(date.fromisoformat)
    elif isinstance(kind, sqltypes.Time):
        encode, decode = _isoformat, _parse(time.fromisoformat)
    elif isinstance(kind, sqltypes.Numeric) and kind.asdecimal:
        # As a string: a JSON number would pass through a float on the way back.
        encode, decode = _decimal, _parse(Decimal)
    elif isinstance(kind, sqltypes.LargeBinary):
        encode, decode = _base64, _parse(base64.b64decode)
    elif isinstance(kind, sqltypes.Uuid):
        encode, decode = _uuid, _parse(uuid.UUID) if kind.as_uuid else _same
    return Codec(column, selected, _or_null(encode), decode)


def _or_null(encode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def encode_or_null(value: Any) -> Any:
        return None if value is None else encode(value)

    return encode_or_null


def _isoformat(value: date | time) -> str:
    return value.isoformat()


def _decimal(value: Decimal | float) -> str:
    return str(value)


def _base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _uuid(value: uuid.UUID | str) -> str:
    return str(value)
