"""The links a list repeats for each row with only ids changing, built once per page and
completed per row: a row then costs a string join, not a ``url_for`` (which matches the
route and converts every value anew each time)."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

from flask import current_app, url_for

#: Stand-ins for the ids while the link is built (a valid id, longer than any real one
#: is likely to be, and found nowhere else in a link).
_MARKS = ("2147480001", "2147480002")


class RowLink:
    """``url_for(endpoint, **{key: id, ...})`` for each row, from the link built once:
    ``link(id, ...)``, and any query arguments (``None`` ones left out) as ``url_for``
    adds them."""

    def __init__(self, endpoint: str, *keys: str) -> None:
        marks = _MARKS[: len(keys)]
        url = url_for(endpoint, **{key: int(mark) for key, mark in zip(keys, marks, strict=True)})
        parts = [url]
        for mark in marks:
            head, _, tail = parts.pop().partition(mark)
            parts += [head, tail]
        #: The text between the ids, and after the last.
        self._parts = parts[:-1]
        self._last = parts[-1]

    def __call__(self, *ids: int, **query) -> str:
        url = "".join(part + str(id_) for part, id_ in zip(self._parts, ids, strict=True))
        url += self._last
        query = {key: value for key, value in query.items() if value is not None}
        return f"{url}?{urlencode(query)}" if query else url


def _optional(endpoint: str, *keys: str) -> RowLink | None:
    """The link of a page that an installation may lack, or ``None``."""
    return RowLink(endpoint, *keys) if endpoint in current_app.view_functions else None


def overview_links() -> SimpleNamespace:
    """What the dashboard links to from each job, stage and overdue scorecard."""
    return SimpleNamespace(
        job=RowLink("plans.job", "job_id"),
        board=RowLink("dashboard.board", "job_id"),
        candidate=RowLink("dashboard.candidate", "candidate_id"),
    )


def interview_links() -> SimpleNamespace:
    """What My interviews links to from each interview."""
    return SimpleNamespace(
        invite=_optional("scheduling.invite_ics", "interview_id"),
        scorecard=_optional("scorecards.scorecard", "interview_id"),
        interview=RowLink("scheduling.interview", "interview_id"),
        job=RowLink("plans.job", "job_id"),
        kit=RowLink("plans.kit", "job_id", "stage_id"),
    )
