"""Load a team export into a database at the same revision, keeping every id.

Everything happens in the caller's transaction: any refusal or failed row leaves the
database as it was. The file's tables must come parents first (the export writes them so)
and rows are inserted in batches as they are read. On PostgreSQL the id sequences are moved
past the imported ids afterwards, so that new rows get fresh ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import Column, Connection, MetaData, Table, exc, func, select

from interviewer.auth.models import Team
from interviewer.backup.reader import JsonStream, TableRows, read_header, read_tables
from interviewer.backup.tables import (
    FORMAT,
    VERSION,
    BackupError,
    TeamTable,
    codec,
    is_secret,
    replacement,
    require_head,
    team_tables,
)

#: Rows sent to the database in one statement.
BATCH = 1000


@dataclass
class LoadSummary:
    """What an import added: the team, rows per table, the secret columns it filled in."""

    team: str
    rows: dict[str, int] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def load_team(connection: Connection, metadata: MetaData, source: TextIO) -> LoadSummary:
    """Insert the team in ``source`` (a file written by ``export_team``)."""
    stream = JsonStream(source)
    header = read_header(stream)
    slug = _check_header(connection, header)
    known = {table.name: table for table in team_tables(metadata)}
    summary = LoadSummary(team=slug)
    for table_rows in read_tables(stream):
        table = known.get(table_rows.name)
        if table is None:
            raise BackupError(f"the file has a table {table_rows.name!r} this release does not")
        if table.name in summary.rows:
            raise BackupError(f"the file has table {table.name} twice")
        _check_parents_loaded(table, summary.rows, known)
        summary.rows[table.name] = _load_table(connection, table, table_rows, summary)
    missing = sorted(set(known) - set(summary.rows))
    if missing:
        raise BackupError(f"the file is incomplete: it has no table {', '.join(missing)}")
    if connection.dialect.name == "postgresql":
        reset_sequences(connection, [table.table for table in known.values()])
    return summary


def _check_header(connection: Connection, header: dict[str, Any]) -> str:
    if header.get("format") != FORMAT:
        raise BackupError(f"not a team export: its format is {header.get('format')!r}")
    if header.get("version") != VERSION:
        raise BackupError(
            f"the file is version {header.get('version')!r} of the format; this release "
            f"reads version {VERSION}"
        )
    revision = require_head(connection)
    if header.get("revision") != revision:
        raise BackupError(
            f"the file was taken at revision {header.get('revision')}, this database is at "
            f"{revision}: import it with the release at that revision, then upgrade"
        )
    slug = header.get("team")
    if not isinstance(slug, str) or not slug:
        raise BackupError("not a team export: it names no team")
    if connection.scalar(select(Team.id).where(Team.slug == slug)) is not None:
        raise BackupError(
            f"a team with slug {slug!r} is already in this database: import into an empty one"
        )
    return slug


def _check_parents_loaded(
    table: TeamTable, loaded: dict[str, int], known: dict[str, TeamTable]
) -> None:
    for key in table.table.foreign_keys:
        parent = key.column.table.name
        if parent != table.name and parent in known and parent not in loaded:
            raise BackupError(f"the file has table {table.name} before {parent}, which it needs")


def _load_table(
    connection: Connection, table: TeamTable, table_rows: TableRows, summary: LoadSummary
) -> int:
    columns = _columns(table, table_rows.columns)
    decoders = [codec(column).decode for column in columns]
    names = [column.name for column in columns]
    filled = {column.name: column for column in table.table.columns if column not in columns}
    for column in filled.values():
        summary.replaced.append(f"{table.name}.{column.name}")
    count, batch = 0, []
    for row in table_rows.rows:
        count += 1
        if len(row) != len(names):
            raise BackupError(
                f"row {count} of {table.name} has {len(row)} values for {len(names)} columns"
            )
        values = {
            name: decode(value) for name, decode, value in zip(names, decoders, row, strict=True)
        }
        values.update({name: replacement(column) for name, column in filled.items()})
        batch.append(values)
        if len(batch) == BATCH:
            _insert(connection, table.table, batch)
            batch = []
    if batch:
        _insert(connection, table.table, batch)
    return count


def _columns(table: TeamTable, names: list[Any]) -> list[Column]:
    """The table's columns in the file's order; refuses unknown ones and missing non-secrets."""
    columns = []
    for name in names:
        column = table.table.columns.get(name) if isinstance(name, str) else None
        if column is None:
            raise BackupError(f"the file has a column {table.name}.{name} this release does not")
        if is_secret(column):
            raise BackupError(f"the file holds the secret column {table.name}.{name}")
        columns.append(column)
    missing = [
        column.name
        for column in table.table.columns
        if column not in columns and not is_secret(column)
    ]
    if missing:
        raise BackupError(f"the file has no column {table.name}.{', '.join(missing)}")
    return columns


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    try:
        connection.execute(table.insert(), rows)
    except (exc.StatementError, LookupError, ValueError, TypeError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        if isinstance(error, exc.IntegrityError):
            reason += "; the database already holds such rows: import into an empty one"
        raise BackupError(f"cannot insert into {table.name}: {reason}") from None


def reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """Move each id sequence past the largest id, so new rows do not collide (PostgreSQL)."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = func.pg_get_serial_sequence(table.fullname, column.name)
        largest = select(func.max(column)).scalar_subquery()
        # setval(seq, n, false): the next id is n; an empty table starts again at 1.
        connection.execute(select(func.setval(sequence, func.coalesce(largest, 0) + 1, False)))
