"""Charts of the reports, drawn on the server as SVG: the geometry is worked out here, in
numbers, and ``templates/reports/_charts.html`` writes the elements (with classes that
``static/css/app.css`` styles, never inline styles, which the CSP refuses).

Each row is a label line (the label on the left, its note on the right) above its mark,
so that a chart keeps the full width for the marks and stays readable at phone widths,
where the SVG scales down with its ``viewBox``. A row without a value is written as
"n too small" rather than drawn as zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The drawing's width in SVG units; it scales to the width of the page.
WIDTH = 420
#: Horizontal room kept at each side of a dot chart, so that end dots and labels fit.
SIDE = 16
LABEL_HEIGHT = 16
MARK_HEIGHT = 14
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + MARK_HEIGHT + ROW_GAP
#: What a row without a value says.
TOO_SMALL = "n too small"


@dataclass
class Row:
    """One row of a chart: a bar's or a dot's value, with its label and what it rests on."""

    label: str
    #: ``None``: drawn as "n too small" / "no data", not as 0.
    value: float | None
    #: The ends of a dot's whisker (an interval).
    low: float | None = None
    high: float | None = None
    #: A second mark on a bar: a 90th percentile, a limit.
    tick: float | None = None
    #: Shown at the end of the row's label line: "n = 42".
    note: str = ""
    #: "" | "good" | "warn" | "bad": the row's colour class.
    flag: str = ""


@dataclass
class Mark:
    """A row as drawn: where its label line, bar or dot and whisker go (SVG units)."""

    row: Row
    #: The baseline of the label line, and the top of the mark below it.
    label_y: float
    top: float
    middle: float
    #: Bar: from 0 to ``x``; dot: at ``x``; ``None`` when the row has no value.
    x: float | None = None
    low_x: float | None = None
    high_x: float | None = None
    tick_x: float | None = None
    #: The value as written next to a bar, and whether it sits inside the bar (long bars).
    value_text: str = ""
    value_inside: bool = False

    @property
    def classes(self) -> str:
        return f"chart-row chart-row-{self.row.flag}" if self.row.flag else "chart-row"


@dataclass
class Line:
    """A vertical line across the rows (a reference, zero) with its label at the top."""

    x: float
    label: str
    label_y: float
    kind: str = "reference"
    #: Where the line starts and ends (the rows' extent).
    top: float = 0
    bottom: float = 0


@dataclass
class Chart:
    """Everything the macro needs to write one chart."""

    kind: str
    title: str
    summary: str
    width: int
    height: float
    marks: list[Mark]
    lines: list[Line] = field(default_factory=list)
    #: Axis labels under a dot chart: (x, text).
    axis: list[tuple[float, str]] = field(default_factory=list)
    axis_y: float = 0
    #: A bar chart's tick, explained under the bars.
    tick_label: str = ""
    legend_y: float = 0
    missing: str = TOO_SMALL

    @property
    def id(self) -> str:
        return "chart-" + (re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "x")


def number(value: float, unit: str = "") -> str:
    """A value as a chart writes it: whole numbers as such, others to 1 or 2 decimals."""
    if float(value).is_integer():
        text = f"{int(value):,}"
    elif abs(value) >= 1:
        text = f"{value:,.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text}{unit}" if not unit or unit[:1] in "%" else f"{text} {unit}"


def _row_tops(rows: Sequence[Row], first: float) -> list[tuple[Row, float]]:
    return [(row, first + index * ROW_HEIGHT) for index, row in enumerate(rows)]


def bar_chart(
    title: str,
    summary: str,
    rows: list[Row],
    *,
    unit: str = "",
    max_value: float | None = None,
    tick_label: str = "",
) -> Chart:
    """Horizontal bars from zero, one per row, with its value at the end of the bar and
    an optional tick (``Row.tick``, explained by ``tick_label``); ``max_value`` fixes the
    scale (100 for percentages), else the largest value or tick sets it."""
    known = [v for row in rows for v in (row.value, row.tick) if v is not None]
    scale = max_value if max_value else max(known, default=0) or 1
    if all(row.tick is None for row in rows):
        tick_label = ""  # no row has the tick the legend would explain
    marks = []
    for row, top in _row_tops(rows, 0):
        mark = Mark(row, label_y=top + 12, top=top + LABEL_HEIGHT, middle=0)
        mark.middle = mark.top + MARK_HEIGHT / 2
        if row.value is not None:
            mark.x = _clamp(row.value / scale, 0, 1) * WIDTH
            mark.value_text = number(row.value, unit)
            mark.value_inside = mark.x > WIDTH * 0.8
        if row.tick is not None:
            mark.tick_x = _clamp(row.tick / scale, 0, 1) * WIDTH
        marks.append(mark)
    height = len(rows) * ROW_HEIGHT
    legend_y = height + 12 if tick_label else 0
    return Chart(
        "bar",
        title,
        summary,
        WIDTH,
        max(height + (20 if tick_label else 0), ROW_HEIGHT),
        marks,
        tick_label=tick_label,
        legend_y=legend_y,
    )


def dot_chart(
    title: str,
    summary: str,
    rows: list[Row],
    *,
    domain: tuple[float, float],
    references: Sequence[tuple[float, str]] = (),
    unit: str = "",
) -> Chart:
    """A dot per row at its value on a common scale ``domain``, with a whisker from
    ``low`` to ``high``; ``references`` are labelled vertical lines (.667, .800), and a
    zero line is drawn when the domain spans 0. Values outside the domain sit at its ends."""
    low, high = domain
    span = (high - low) or 1

    def at(value: float) -> float:
        return SIDE + _clamp((value - low) / span, 0, 1) * (WIDTH - 2 * SIDE)

    lines = [
        Line(at(value), label, label_y=12 + 14 * (index % 2))
        for index, (value, label) in enumerate(references)
    ]
    header = 16 + 14 * min(len(references), 2) if references else 0
    if low < 0 < high and all(value != 0 for value, _ in references):
        lines.append(Line(at(0), "", label_y=0, kind="zero"))
    marks = []
    for row, top in _row_tops(rows, header):
        mark = Mark(row, label_y=top + 12, top=top + LABEL_HEIGHT, middle=0)
        mark.middle = mark.top + MARK_HEIGHT / 2
        if row.value is not None:
            mark.x = at(row.value)
            if row.low is not None and row.high is not None:
                mark.low_x, mark.high_x = at(row.low), at(row.high)
        marks.append(mark)
    axis_y = header + len(rows) * ROW_HEIGHT + 4
    axis = [(at(value), number(value, unit)) for value in _axis_values(low, high)]
    for line in lines:
        line.top, line.bottom = header, axis_y - 4
    return Chart(
        "dot", title, summary, WIDTH, axis_y + 16, marks, lines, axis=axis, axis_y=axis_y + 12
    )


def _axis_values(low: float, high: float) -> list[float]:
    values = [low, high]
    if low < 0 < high:
        values.insert(1, 0)
    return values


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
