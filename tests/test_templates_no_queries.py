"""Templates do no queries: every GET page, as each role and signed out, renders without the
template sending a single SQL statement.

A statement sent while a template renders is a lazy load (a relationship the view did not
load) or a query a template helper runs: its cost grows with the rows the page shows, and no
``count_queries`` test sees it once the view changes. Flask's ``before_render_template`` and
``template_rendered`` signals bracket each render; an SQLAlchemy ``before_cursor_execute``
listener records what runs in between. The walk reads ``app.url_map`` (``tests/walk.py``)
over a team with a row of every kind (``build_team``), so a page added later is walked too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from flask import before_render_template, template_rendered
from sqlalchemy import event

from interviewer.auth.models import Role, User
from tests import walk
from tests.test_tenancy_walk import NEUTRAL, build_team

#: Pages whose views and templates are being rewritten elsewhere, with what they still load
#: while rendering. Remove an entry once its page loads everything in the view: the test
#: fails on an entry whose page no longer queries, so that none outlives its fix.
KNOWN_EXCEPTIONS = {}


@dataclass
class Renders:
    """What ran inside each render, by endpoint: ``{endpoint: {(template, statement)}}``."""

    depth: int = 0
    templates: list[str] = field(default_factory=list)
    endpoint: str = ""
    found: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))

    def before(self, sender, template, context, **extra) -> None:
        self.depth += 1
        self.templates.append(template.name or "?")

    def after(self, sender, template, context, **extra) -> None:
        self.depth -= 1
        self.templates.pop()

    def statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.depth:
            first_line = " ".join(statement.split())[:160]
            self.found[self.endpoint].add((self.templates[-1], first_line))


@pytest.fixture
def renders(app, db):
    """Records the statements sent while a template renders."""
    recorder = Renders()
    before_render_template.connect(recorder.before, app)
    template_rendered.connect(recorder.after, app)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", recorder.statement)
    yield recorder
    event.remove(engine, "before_cursor_execute", recorder.statement)
    template_rendered.disconnect(recorder.after, app)
    before_render_template.disconnect(recorder.before, app)


def _secrets(rows) -> dict[str, dict[str, list]]:
    return {
        "portal": {"token": [rows.secrets["portal"]]},
        "scheduling.feed_ics": {"token": [rows.secrets["calendar"]]},
        "careers": {"team_slug": rows.ids["team_slug"]},
        "branding": {"team_slug": rows.ids["team_slug"]},
        "accounts.reset_password": {"token": [rows.secrets["reset"]]},
        "accounts": {"token": [rows.secrets["invitation"]]},
    }


def _report(found: dict[str, set[tuple[str, str]]]) -> str:
    return "\n".join(
        f"{endpoint}: {template} ran {statement}"
        for endpoint, statements in sorted(found.items())
        for template, statement in sorted(statements)
    )


def test_no_template_sends_a_query_while_it_renders(app, client, db, auth, renders):
    rows = build_team(app, db, "Render")
    pages, unfilled = walk.urls(app, {**NEUTRAL, **rows.ids}, _secrets(rows))
    assert not unfilled, unfilled
    walkers = [rows.users[role].id for role in (Role.ADMIN, Role.HIRING_MANAGER, Role.INTERVIEWER)]
    rendered = 0
    for walker in [*walkers, None]:
        client.post("/logout")
        if walker is not None:
            auth.login(user=db.session.get(User, walker))
        for endpoint, paths in pages.items():
            if endpoint in walk.SKIPPED or endpoint in ("auth.logout",):
                continue
            renders.endpoint = endpoint
            for path in paths:
                # A fresh session, as each request has outside the tests: nothing the setup
                # loaded spares a page its own loading.
                db.session.expunge_all()
                response = client.get(path)
                rendered += response.mimetype == "text/html"
    db.session.rollback()

    assert rendered > 100, "the walk rendered too few pages to say anything"
    unknown = {e: s for e, s in renders.found.items() if e not in KNOWN_EXCEPTIONS}
    assert not unknown, "templates that query while they render:\n" + _report(unknown)
    fixed = sorted(set(KNOWN_EXCEPTIONS) - set(renders.found))
    assert not fixed, f"no longer query while rendering, remove from KNOWN_EXCEPTIONS: {fixed}"
