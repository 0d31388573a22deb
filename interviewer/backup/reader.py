"""Read a team export as a stream: the header first, then each table's rows one by one.

The standard ``json`` module parses each value (a row, a column list); this module only
walks the document's outer structure, so a file of any size is read in little memory and
whatever its line breaks and spacing (a file passed through ``jq`` reads the same).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from interviewer.backup.tables import BackupError

#: Characters read at a time (more when one value is longer).
CHUNK = 1 << 16
WHITESPACE = " \t\n\r"


class JsonStream:
    """A cursor over a JSON text read piece by piece."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.buffer = ""
        self.position = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _read_more(self) -> None:
        rest = self.buffer[self.position :]
        # Read at least as much as is held, so that a long value costs linear time.
        data = self.stream.read(max(CHUNK, len(rest)))
        self.eof = not data
        self.buffer, self.position = rest + data, 0

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer) or self.eof:
                return self.buffer[self.position : self.position + 1]
            self._read_more()

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            raise BackupError(
                f"not a team export: expected {char!r} {where}, found {found or 'the end'!r}"
            )
        self.position += 1

    def take(self, char: str) -> bool:
        """Step over ``char`` when it comes next."""
        if self.peek() == char:
            self.position += 1
            return True
        return False

    def value(self, where: str) -> Any:
        """The next complete JSON value."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.eof:
                    raise BackupError(f"not a team export: {where}: {error.msg}") from None
                self._read_more()
                continue
            # A number at the end of what was read may go on in the next piece.
            if end == len(self.buffer) and not self.eof:
                self._read_more()
                continue
            self.position = end
            return value

    def key(self, where: str) -> str:
        name = self.value(where)
        if not isinstance(name, str):
            raise BackupError(f"not a team export: {where}: expected a name")
        self.expect(":", f"after {name!r}")
        return name


@dataclass
class TableRows:
    """One table of the file: its name, its columns and an iterator over its rows."""

    name: str
    columns: list[str]
    rows: Iterator[list[Any]]


def read_header(stream: JsonStream) -> dict[str, Any]:
    """The fields before ``tables``; leaves the stream at the start of the tables list."""
    stream.expect("{", "at the start")
    header: dict[str, Any] = {}
    while True:
        name = stream.key("in the header")
        if name == "tables":
            return header
        header[name] = stream.value(f"header field {name!r}")
        if not stream.take(","):
            raise BackupError("not a team export: it has no tables")


def read_tables(stream: JsonStream) -> Iterator[TableRows]:
    """Each table in file order; read a table's rows before asking for the next table."""
    stream.expect("[", "before the tables")
    if stream.take("]"):
        _read_end(stream)
        return
    while True:
        stream.expect("{", "at the start of a table")
        fields = {}
        for field in ("name", "columns"):
            if stream.key("in a table") != field:
                raise BackupError(f"not a team export: each table starts with {field!r}")
            fields[field] = stream.value(f"the table's {field}")
            stream.expect(",", f"after the table's {field}")
        if stream.key("in a table") != "rows":
            raise BackupError("not a team export: a table's rows come after its columns")
        name, columns = fields["name"], fields["columns"]
        if not isinstance(name, str) or not isinstance(columns, list):
            raise BackupError("not a team export: a table needs a name and a list of columns")
        rows = _rows(stream, name)
        yield TableRows(name, columns, rows)
        for _row in rows:  # the caller stopped early: skip what is left of the table
            pass
        stream.expect("}", f"after the rows of {name}")
        if not stream.take(","):
            stream.expect("]", "after the last table")
            _read_end(stream)
            return


def _rows(stream: JsonStream, table: str) -> Iterator[list[Any]]:
    stream.expect("[", f"before the rows of {table}")
    if stream.take("]"):
        return
    number = 0
    while True:
        number += 1
        row = stream.value(f"row {number} of {table}")
        if not isinstance(row, list):
            raise BackupError(f"not a team export: row {number} of {table} is not a list")
        yield row
        if not stream.take(","):
            stream.expect("]", f"after row {number} of {table}")
            return


def _read_end(stream: JsonStream) -> None:
    stream.expect("}", "at the end")
    if stream.peek():
        raise BackupError("not a team export: something follows the end of the document")
