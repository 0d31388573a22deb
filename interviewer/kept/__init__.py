"""Signed-in pages kept rendered while the team's rows stand still.

Managers and interviewers open the same pages again and again (the dashboard, a board, their
interviews, a report), and each reads far more rows than a repeat view needs to. A page is
kept per person and address under the team's version, which every transaction that changed
any of the team's rows raises as it commits (the last statement before COMMIT, so the
counter row is held only while the commit lands). A change therefore makes a new key, and
no process serves rows that a commit has changed. Keys also name the minute (or, for the
reports, whose range ends today, the day), so a page that shows times relative to now is at
most a minute behind the clock. A kept page holds a stand-in for the CSRF token
(``page_cache``), and a person with a message to see gets the page rendered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask, Response, make_response, request, session
from flask_login import current_user
from sqlalchemy import bindparam, event, func, select, true
from sqlalchemy.orm import ORMExecuteState, Session

from interviewer import page_cache
from interviewer.auth.models import Team
from interviewer.db import raise_counters, utcnow
from interviewer.extensions import db
from interviewer.kept.models import TeamVersion

#: Seconds Redis keeps a page no one asked for again.
TTL_SECONDS = 15 * 60
#: The session's note of the teams whose rows this transaction changed (``None``: every
#: team, after a statement that names no rows).
CHANGED = "kept.changed_teams"
#: How much of the clock each kind of key names.
PERIODS = {"minute": "%Y-%m-%dT%H:%M", "day": "%Y-%m-%d"}

_version = TeamVersion.__table__.c
_CURRENT = select(
    func.coalesce(
        select(_version.version).where(_version.team_id == bindparam("team_id")).scalar_subquery(),
        0,
    )
)


def init_app(app: Flask) -> None:
    """Give ``app`` the store its kept pages live in."""
    page_cache.init_app(app)


def kept(view: Callable | None = None, *, per: str = "minute") -> Callable:
    """Serve the page ``view`` renders for a GET from its kept copy when the team's rows
    have not changed since, within the same ``per`` (``"minute"`` or ``"day"``). Applied
    inside the view's permission check, which runs every time; the view must not write."""
    if view is None:
        return functools.partial(kept, per=per)
    period = PERIODS[per]

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        # A transaction that changed rows reads its own changes: no kept copy for it.
        if request.method != "GET" or "_flashes" in session or CHANGED in db.session.info:
            return view(*args, **kwargs)
        version = db.session.execute(_CURRENT, {"team_id": current_user.team_id}).scalar()
        kept_pages = page_cache.cache()
        parts = (current_user.team_id, current_user.id, version, utcnow().strftime(period))
        where = (request.host, request.script_root, request.full_path)
        key = ":".join(("kept", kept_pages.release, *where, *map(str, parts)))
        page = kept_pages.store.get(key)
        if page is not None:
            return Response(page_cache.with_token(page.body), content_type=page.content_type)
        response = make_response(view(*args, **kwargs))
        # A view that changed rows on its way (it should not) is rendered every time.
        wrote = CHANGED in db.session.info or db.session.new or db.session.dirty
        if response.status_code == 200 and response.mimetype == "text/html" and not wrote:
            body = page_cache.without_token(response.get_data())
            kept_pages.store.put(
                key, page_cache.Page(body, response.content_type, ""), ttl=TTL_SECONDS
            )
        return response

    return wrapped


def _team_of(instance: object) -> int | None:
    return instance.id if isinstance(instance, Team) else getattr(instance, "team_id", None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    teams = session.info.setdefault(CHANGED, set())
    if teams is None:
        return
    changed = [*session.new, *session.deleted]
    changed += [i for i in session.dirty if session.is_modified(i)]
    teams.update(_team_of(instance) for instance in changed)
    teams.discard(None)


#: Tables of the house's own bookkeeping, which no kept page shows: their bulk statements
#: (the senders' claims, sign-outs, purges) leave the team's version as it is.
UNSHOWN = frozenset(
    {
        "outbox_email",
        "webhook_delivery",
        "user_session",
        "recovery_code",
        "api_token",
        "api_idempotent_request",
    }
)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if getattr(getattr(state.statement, "table", None), "name", None) not in UNSHOWN:
        state.session.info[CHANGED] = None


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # What is still pending flushes now, so that its teams are noted before the raise.
    session.flush()
    if CHANGED not in session.info:
        return
    teams = session.info.pop(CHANGED)
    if teams is None or teams:
        session.connection().execute(team_counters(session, TeamVersion, teams))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    # Only the outermost transaction's end forgets: a savepoint rolled back inside it leaves
    # the changes made before it to be committed.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def team_counters(session: Session, counter: type, teams: set[int] | None):
    """The statement adding one to ``counter`` (keyed by team) for each of ``teams``
    (``None``: every team), making a missing row at 1; a team deleted in the same
    transaction has none."""
    which = true() if teams is None else Team.id.in_(sorted(teams))
    return raise_counters(session, counter, Team.id, which)
