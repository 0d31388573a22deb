"""The candidate's page kept rendered: opening a portal link costs one indexed statement
while nothing it shows has changed.

A kept copy's key names everything the page depends on: the link, its application's portal
version and its team's careers version (``portal.versions``), the minute, and the address,
so a change makes a new key and the old copy is never served again. The minute bounds what
time alone changes (an interview that has begun, an offer that ends): a page is kept only
when none of its times falls before the minute is over, and never while it offers times to
book, which other applications' bookings change. Kept copies hold a stand-in for the CSRF
token, filled with the visitor's own on the way out; a visitor with a message to see (a
flash) gets the page rendered.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from flask import Response, request, session

from interviewer import page_cache
from interviewer.candidates.portal_links import LINK_LIFETIME_AFTER_CLOSE, read_token
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.portal import versions
from interviewer.portal.access import InvalidLink

#: Seconds a kept copy serves at most (the key names the minute).
MINUTE = 60


def _key(token: str, found, minute: int) -> str:
    generation, _closed, created, team_id, _erased, careers, portal = found
    kept = page_cache.cache()
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    parts = (created.isoformat(), team_id, generation, careers, portal, minute)
    return ":".join(
        ("portal", kept.release, request.host, request.script_root, digest, *map(str, parts))
    )


def _opens(found, now: datetime) -> bool:
    """Whether the link of ``found`` (``versions.current``) still opens its page."""
    generation, closed, _created, _team, erased, _careers, _portal = found
    if erased is not None:
        return False
    return closed is None or now < _aware(closed) + LINK_LIFETIME_AFTER_CLOSE


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive times; every time stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def serve(token: str, render: Callable[[], tuple[Response, Iterable[datetime] | None]]):
    """The portal page of ``token``: the kept copy when there is one, else ``render()``'s,
    kept when it says which times it depends on (``None``: not to be kept). Raises
    ``InvalidLink`` for a link that opens nothing."""
    payload = read_token(token)
    if payload is None or "_flashes" in session or request.method != "GET":
        return render()[0]
    application_id, generation = payload
    found = versions.current(application_id, db.session)
    now = utcnow()
    if found is None or found[0] != generation or not _opens(found, now):
        raise InvalidLink
    minute = int(time.time()) // MINUTE
    key = _key(token, found, minute)
    store = page_cache.cache().store
    page = store.get(key)
    if page is not None:
        return private(Response(page_cache.with_token(page.body), content_type=page.content_type))
    response, times = render()
    minute_ends = datetime.fromtimestamp(MINUTE * (minute + 1), tz=UTC)
    if (
        times is not None
        and response.status_code == 200
        and not any(now <= _aware(moment) < minute_ends for moment in times)
    ):
        body = page_cache.without_token(response.get_data())
        store.put(key, page_cache.Page(body, response.content_type, ""), ttl=2 * MINUTE)
    return response


def private(response: Response) -> Response:
    """Keep the token out of caches and search engines (``interviewer.headers`` keeps it out
    of referrers)."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
