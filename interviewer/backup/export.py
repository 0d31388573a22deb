"""Write one team as schema-versioned JSON, table by table, one row per line.

The file is one JSON document::

    {"format": "interviewer-team-export", "version": 1, "revision": "...",
     "exported_at": "...", "team": "acme", "left_out": ["user_account.password_hash", ...],
     "tables": [
    {"name": "team", "columns": ["id", ...], "rows": [
    [1, "Acme", ...]
    ]},
    ...
    ]}

Tables come in foreign-key order (parents first) and rows in primary-key order, so the same
data always gives the same bytes. Rows are read with Core selects in batches and written as
they come; nothing holds a whole table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

from sqlalchemy import Connection, MetaData, select

from interviewer.auth.models import Team
from interviewer.backup.tables import (
    FORMAT,
    VERSION,
    BackupError,
    TeamTable,
    codec,
    require_head,
    team_tables,
)
from interviewer.db import utcnow

#: Rows fetched from the database at a time.
BATCH = 1000


@dataclass
class ExportSummary:
    """What an export wrote: rows per table, in the order written."""

    team: str
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def export_team(
    connection: Connection,
    metadata: MetaData,
    slug: str,
    out: TextIO,
    *,
    exported_at: datetime | None = None,
) -> ExportSummary:
    """Write every row of team ``slug`` to ``out``; secret columns are left out.

    Run it in one transaction (a snapshot on PostgreSQL: REPEATABLE READ) so that rows
    added while it runs cannot refer to rows it has already passed.
    """
    revision = require_head(connection)
    team_id = connection.scalar(select(Team.id).where(Team.slug == slug))
    if team_id is None:
        raise BackupError(f"there is no team with slug {slug!r}")
    tables = team_tables(metadata)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "revision": revision,
        "exported_at": (exported_at or utcnow()).isoformat(timespec="seconds"),
        "team": slug,
        "left_out": sorted(
            f"{table.name}.{column.name}" for table in tables for column in table.left_out
        ),
    }
    out.write("{" + "".join(f"{_dump(key)}: {_dump(value)}, " for key, value in header.items()))
    out.write('"tables": [')
    summary = ExportSummary(team=slug)
    for number, table in enumerate(tables):
        out.write(",\n" if number else "\n")
        summary.rows[table.name] = _write_table(connection, table, team_id, out)
    out.write("\n]}\n")
    return summary


def _write_table(connection: Connection, table: TeamTable, team_id: int, out: TextIO) -> int:
    codecs = [codec(column) for column in table.columns]
    names = [item.column.name for item in codecs]
    out.write(f'{{"name": {_dump(table.name)}, "columns": {_dump(names)}, "rows": [')
    statement = (
        select(*(item.selected for item in codecs))
        .where(table.rows_of(team_id))
        # A table without a primary key is still ordered, by every column.
        .order_by(*(table.table.primary_key.columns or table.table.columns))
    )
    count = 0
    # yield_per streams from a server-side cursor where the driver has one (PostgreSQL).
    for row in connection.execution_options(yield_per=BATCH).execute(statement):
        values = [item.encode(value) for item, value in zip(codecs, row, strict=True)]
        out.write(",\n" if count else "\n")
        out.write(_dump(values))
        count += 1
    out.write("\n]}" if count else "]}")
    return count
