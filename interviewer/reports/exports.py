"""CSV downloads of the reports, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from flask import Response

#: What a spreadsheet reads as the start of a formula (or hides one behind).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a cell: text that a spreadsheet would run as a formula gets a leading
    ``'``; numbers stay numbers, ``None`` is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(header: list[str], rows: Iterable[Sequence]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _chain(header, rows):
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(header: list[str], rows: Iterable[Sequence]) -> Iterator[Sequence]:
    yield header
    yield from rows


def csv_response(filename: str, header: list[str], rows: Iterable[Sequence]) -> Response:
    """A streamed ``text/csv`` attachment named ``filename``: ``header``, then ``rows``."""
    response = Response(_lines(header, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
