"""Bad input, form by form and field by field: no answer is a server error.

Signed in as each role to a team that has a row of every kind, the walk opens every page of
``app.url_map`` (through ``tests/walk.py``) and reads the forms each shows as a browser
would (``tests/form_walk.py``). Then it submits every form once per field and bad value:
that field carries the bad value, the others what the page offered (or what a person would
type where the page left them empty). The bad values are NUL and other control characters,
100,000 characters, right-to-left marks and emoji, text as long as the field's
``maxlength`` (a shorter column would refuse it), numbers beyond any column, dates at the
ends of the calendar and days that do not exist. Last, the form as offered. A form that a
response shows (a confirmation step) is walked in turn. Every query argument the app reads
(``request.args``) gets the same treatment on the pages whose links or search boxes send
it. Answers may refuse the input; none may be a 5xx, and every form with fields must be
accepted at least once (so the walk reached the database).

A POST route whose form no page shows fails the walk until a page shows it (or ``NO_FORM``
says why none does), so a form added later is walked too; so does a query argument that
the app reads and that no page sends (or ``UNLINKED_QUERY_ARGUMENTS`` names).
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from interviewer.auth.models import Role, User
from interviewer.candidates.portal_links import make_token
from interviewer.extensions import limiter
from interviewer.mail.models import OutboxEmail
from interviewer.plans.models import JobStatus
from interviewer.webhooks import targets as webhook_targets
from tests import factories, two_factor_support, walk
from tests.form_walk import CHOICE_TYPES, TEXT_TYPES, PageForm, forms_on, links_on
from tests.test_tenancy_walk import NEUTRAL, TeamRows, build_team

PACKAGE = Path(__file__).resolve().parent.parent / "interviewer"

#: Bad text: tried in every field that takes text.
BAD_TEXT = {
    "NUL and control characters": "Walk\x00 \x07\x1b\x85\ufffe",
    "100,000 characters": "x" * 100_000,
    "right-to-left marks and emoji": "\u202eWalk\u200f \u05e9\u05dc\u05d5\u05dd 👩‍💻🦓",
}
#: Text as long as the field allows (its ``maxlength``): a column shorter than that refuses it.
LONGEST = "the longest text the field allows"
#: Bad numbers: in number fields (the first in hidden fields too).
BAD_NUMBERS = {
    "a number beyond BIGINT": "9" * 30,
    "a negative number beyond BIGINT": "-" + "9" * 30,
    "an exponent": "1e999",
}
BAD_DATES = {
    "the last day of year 9999": "9999-12-31",
    "the first day of year 1": "0001-01-01",
    "no such day": "2031-02-30",
}
BAD_TIMES = {"no such time": "24:30", "the last minute": "23:59"}
#: Bad choices: in selects, radio buttons, checkboxes and the values of buttons.
BAD_CHOICES = {"NUL": "\x00", "a number beyond BIGINT": "9" * 30}
#: Bad values that a form may well accept: they are sent after the others, so that what
#: they change (a booked interview, a new window) does not stop the others at a rule.
ACCEPTABLE = {"right-to-left marks and emoji", "the last minute", LONGEST}

#: Bad values of query arguments.
BAD_QUERY = {
    **BAD_CHOICES,
    "a negative number": "-3",
    "100,000 characters": BAD_TEXT["100,000 characters"],
    "right-to-left marks and emoji": BAD_TEXT["right-to-left marks and emoji"],
    "no such day": BAD_DATES["no such day"],
}

#: What a person types in fields whose name says more than their kind.
PLAIN = {
    # The interviewer's weekly window is 09:00-17:00 on Mondays; a new one must not overlap.
    "window-start_time": "18:00",
    "window-end_time": "19:00",
    "links": "https://example.com/walk",
    # Every application of the walker's team is at the last stage of its plan.
    "outcome": "reject",
}

#: The last post of each form: as the page offers it, with plain values where it is empty.
AS_OFFERED = "as offered"

#: What a person types over what the page offers: an interview booked or moved to a Monday
#: 10:00 UTC, inside the interviewer's weekly window (the page offers the current time).
TYPED = {
    "starts_on": lambda: _monday_in(weeks=2).isoformat(),
    "start_time": lambda: "10:00",
}

#: POST routes that no page shows a form for, and why.
NO_FORM: dict[str, str] = {
    "scheduling.withdraw_offer": "shown on the offer page while an offer is open, which the "
    "walk's team has none of (tests/test_self_booking.py posts to it)",
    "portal.book_time": "shown on the portal while an offer holds times, which the walk's "
    "team has none of (tests/test_self_booking.py posts to it)",
    "accounts.reactivate": "the users page offers it for a deactivated user, listed after the "
    "active ones, beyond the walk's first page",
    "accounts.reset_two_factor": "offered for a colleague with two-factor sign-in on, which "
    "no user the walk's admin manages has (tests/test_user_management.py posts to it)",
    "accounts.sign_out_for_invitation": "shown to a signed-in visitor of an invitation link, "
    "which the walk opens signed out only",
    "auth.login_two_factor": "shown only between a right password and the code, which the "
    "walk does not type (tests/test_two_factor.py posts to it)",
    "scorecards.consider": "shown on a debrief whose level fit is below the job's level when "
    "the team has an open job of the level met, which the walk's team has not "
    "(tests/test_reconsider.py posts to it)",
    "privacy.erase_candidate": "shown for a candidate whose applications are all closed; the "
    "walk's candidate has an open one, and erasing it would end the walk of its pages "
    "(tests/test_candidate_data.py posts to it)",
}
#: Forms that no walk can get accepted, and why.
NEVER_ACCEPTED = {
    "scheduling.loop": "the loop it offers holds the stage the schedule page booked before, "
    "so it is refused as taken (tests/test_autoloop_pages.py books one)",
    "branding.upload_logo": "the walk sends no files, and the logo is required "
    "(tests/test_branding.py uploads real ones)",
    "auth.login": "the walk does not know any password",
    "dashboard.board_bulk": "the cards' boxes sit on the cards, outside the bulk form (their "
    "form attribute names it), so the walk sends none (tests/test_board_bulk.py ticks them)",
    "auth.change_password": "the walk does not type the walker's password: a change would lock "
    "the walker out",
    "auth.confirm_two_factor": "the walk does not know the code the app would show",
    "auth.disable_two_factor": "the walk knows neither the password nor a code",
    "auth.regenerate_recovery_codes": "the walk does not know the code the app would show",
    "webhooks.new": "answers with the page that shows the new endpoint's signing secret, "
    "once, rather than a redirect (tests/test_webhooks.py adds endpoints)",
    "privacy.export_candidate": "answers with the ZIP itself, a download rather than a "
    "redirect (tests/test_candidate_data.py reads it)",
    **{
        endpoint: "answers with the new token's secret on the page, shown once, rather than "
        "a redirect that would have to carry it (tests/test_api_token_pages.py makes tokens)"
        for endpoint in ("api_pages.personal_tokens", "api_pages.team_tokens")
    },
    "careers.apply": "the walk sends no files and the form needs a CV (tests/test_apply.py "
    "sends one, and bad ones)",
}
#: Query arguments that no link or search box sends, by endpoint, and why.
UNLINKED_QUERY_ARGUMENTS = {
    "plans.new_job": {"level_id": "preselects the level; bookmarked or typed by hand"},
    "reports.fairness": {"question": "linked only when the team asks self-identification"},
    "dashboard.board": {
        "selected": "set by the redirect after a bulk move, keeping the cards that did not "
        "move ticked"
    },
    "dashboard.my_interviews": {
        "before": 'linked as "Older interviews" when there are more past interviews than a '
        "page, which the walk's interviewer has not",
        "overdue_before": "linked when more scorecards are owed than a page holds",
    },
}
#: Forms walked after the others, and why (then deletions, then ``LAST``).
LATER = {
    "scorecards.decide": "rejects the application that the other forms schedule and move",
    "dashboard.move_application": "may reject or withdraw that application",
    "scheduling.cancel": "cancels the interview that the others reschedule and score",
    "scheduling.loop": "books the whole loop, the stage that the schedule page books first",
}
#: Forms walked last, and why.
LAST = {
    "auth.team_two_factor": "may require two-factor sign-in of the admin, who has none",
    "auth.logout": "signs the walker out",
    "auth.sign_out_everywhere": "signs the walker out of every browser",
}

#: The walkers, in turn (``None``: nobody signed in); a form is walked by the first who
#: sees it. The admin sees every form a hiring manager sees, and more; the interviewer has
#: a draft scorecard, their colleague one to amend.
WALKERS = [None, "admin", "interviewer", "colleague"]


def bad_values(kind: str, maxlength: int | None = None) -> dict[str, str]:
    """The bad values to try in a field of ``kind`` (that allows ``maxlength`` characters)."""
    if maxlength and kind in TEXT_TYPES:
        return {**bad_values(kind), LONGEST: "\u00fc" * maxlength}
    if kind == "hidden":
        return {**BAD_TEXT, "a number beyond BIGINT": BAD_NUMBERS["a number beyond BIGINT"]}
    if kind in TEXT_TYPES:
        return BAD_TEXT
    if kind == "number":
        return BAD_NUMBERS
    if kind in {"date", "datetime-local", "month", "week"}:
        return BAD_DATES
    if kind == "time":
        return BAD_TIMES
    return BAD_CHOICES  # lists, checkboxes and buttons


def _monday_in(weeks: int) -> date:
    today = date.today()
    return today + timedelta(days=7 * weeks - today.weekday())


def _weekday_in(days: int) -> date:
    """The first working day at least ``days`` days from today."""
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def plain_value(name: str, kind: str, serial: int) -> str:
    """What a person would type in an empty field of ``kind`` called ``name``."""
    last = name.rsplit("-", 1)[-1]
    if name in PLAIN:
        return PLAIN[name]
    if kind == "email":
        return f"walker{serial}@example.com"
    if kind == "url":
        return "https://example.com/walk"
    if kind == "date":
        return _weekday_in(9).isoformat()
    if kind == "time":
        return "11:00" if last in {"end", "end_time"} else "10:00"
    if kind == "number":
        return "30" if "minute" in last else "1"
    if kind == "password":
        return "a long enough password"
    if last == "slug":
        return f"walk-{serial}"
    return f"Walk {last} {serial}"


def plain_body(form: PageForm, serial: int) -> dict[str, list[str]]:
    """The form as the page offers it, with what a person types over it (``TYPED``), the
    first choice of a list that offers no choice yet and a plain value in each empty field;
    ``serial`` makes the values unique."""
    body = form.body()
    for name, item in form.fields.items():
        if name in TYPED:
            body[name] = [TYPED[name]()]
        if any(body.get(name, [])):
            continue
        if item.kind in CHOICE_TYPES:
            if name in PLAIN:
                body[name] = [PLAIN[name]]
            elif item.choices and (item.kind != "checkbox" or item.multiple):
                body[name] = [next((choice for choice in item.choices if choice), "")]
            continue
        body[name] = [plain_value(name, item.kind, serial)]
    return body


# Finding the forms --------------------------------------------------------------------------


@dataclass
class Seen:
    """A form to post: who saw it, on which page, and where it posts."""

    walker: str | None
    page: str
    path: str
    form: PageForm


def form_key(endpoint: str, form: PageForm) -> tuple:
    """What tells two forms of an endpoint apart: their fields (name and kind) and buttons."""
    fields = tuple(sorted((name, item.kind) for name, item in form.fields.items()))
    return endpoint, fields, tuple(name for name, _ in form.buttons)


@dataclass
class Found:
    """What the pages offer: forms to post, query arguments, and pages open to anyone."""

    #: (endpoint, field names and kinds, buttons) -> where it was seen, in finding order.
    posts: dict[tuple, Seen] = field(default_factory=dict)
    #: endpoint -> {query argument: (walker, path)}
    queries: dict[str, dict[str, tuple]] = field(default_factory=dict)
    #: Paths that a signed-out visitor can open.
    public: set[str] = field(default_factory=set)


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        endpoint, _ = adapter.match(path, method=method)
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


def read_page(adapter, walker, path: str, html: str, found: Found) -> None:
    """Note the forms and query arguments of one page, seen by ``walker``."""
    for form in forms_on(html, path):
        target = urlsplit(form.action)
        if target.netloc:
            continue
        if form.method == "post":
            endpoint = _endpoint(adapter, target.path, "POST")
            key = form_key(endpoint, form)
            if endpoint and key not in found.posts:
                found.posts[key] = Seen(walker, path, target.path, form)
        elif endpoint := _endpoint(adapter, target.path, "GET"):
            for name in form.fields:
                found.queries.setdefault(endpoint, {}).setdefault(name, (walker, target.path))
    for link in links_on(html):
        parts = urlsplit(link)
        if parts.netloc or not parts.query:
            continue
        if endpoint := _endpoint(adapter, parts.path, "GET"):
            for name, _ in parse_qsl(parts.query):
                found.queries.setdefault(endpoint, {}).setdefault(name, (walker, parts.path))


def crawl(app, client, rows: TeamRows, walker, found: Found) -> None:
    """Open every page the walker can reach with the team's own ids.

    Pages that a signed-out visitor opened already (the public faces) are not opened again.
    """
    adapter = app.url_map.bind("localhost")
    secrets = {
        "portal": {"token": [rows.secrets["portal (waiting)"], rows.secrets["portal"]]},
        "scheduling.feed_ics": {"token": [rows.secrets["calendar"]]},
        "careers": {"team_slug": rows.ids["team_slug"]},
        # The manager's reset link: a signed-out visitor walks its form (the manager never
        # walks, so a new password locks no walker out).
        "accounts.reset_password": {"token": [rows.secrets["reset"]]},
        "accounts.accept_invitation": {"token": [rows.secrets["invitation"]]},
        "accounts.sign_out_for_invitation": {"token": [rows.secrets["invitation"]]},
    }
    pages, unfilled = walk.urls(app, {**NEUTRAL, **rows.ids}, secrets)
    assert not unfilled, unfilled
    for paths in pages.values():
        for path in paths:
            if path in found.public:
                continue
            response = client.get(path)
            if response.status_code == 200 and walker is None:
                found.public.add(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                read_page(adapter, walker, path, response.get_data(as_text=True), found)
    if walker is None:
        # Where a signed-out visitor is sent.
        response = client.get("/login")
        read_page(adapter, walker, "/login", response.get_data(as_text=True), found)


def read_query_arguments() -> set[str]:
    """Every name that the package reads with ``request.args.get(...)``."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"get", "getlist"}
                and ast.unparse(node.func.value) == "request.args"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


# Sending ------------------------------------------------------------------------------------


@dataclass
class Walker:
    """Sends the requests of the walk and keeps what they gave."""

    app: object
    client: object
    db: object
    found: Found
    serial: Iterator[int] = field(default_factory=itertools.count)
    sent: int = 0
    errors: list[str] = field(default_factory=list)
    #: Endpoints that accepted a post (answered with a redirect, flashing no error).
    accepted: set[str] = field(default_factory=set)
    #: endpoint -> the shapes of the fields walked already.
    shapes: dict[str, set] = field(default_factory=dict)

    def send(self, method: str, path: str, what: str, data: dict):
        """One request; a 5xx or an exception is noted with ``what`` was sent."""
        self.sent += 1
        try:
            if method == "GET":
                response = self.client.get(path, query_string=data)
            else:
                response = self.client.post(path, data=data)
        except Exception as error:  # noqa: BLE001 - every failure is noted with its input
            self.db.session.rollback()
            self.errors.append(f"{method} {path} {what}: {type(error).__name__}: {error!s:.200}")
            return None
        if response.status_code >= 500:
            self.errors.append(f"{method} {path} {what}: {response.status_code}")
        return response

    def post(self, walker, endpoint: str, path: str, what: str, body: dict) -> bool:
        """Send one post; whether it was accepted."""
        response = self.send("POST", path, what, body)
        if response is None:
            return False
        if response.status_code in (302, 303) and not self.refused_by_flash():
            self.accepted.add(endpoint)
            return True
        if what == AS_OFFERED and response.mimetype == "text/html":
            # A confirmation step, or the form again with a field it asks for now.
            adapter = self.app.url_map.bind("localhost")
            read_page(adapter, walker, path, response.get_data(as_text=True), self.found)
        return False

    def reread(self, key: tuple, seen: Seen) -> PageForm:
        """The form as its page shows it now: after a save, its hidden fields (the version
        the page was loaded at) are those of the new state, as after a reload."""
        response = self.client.get(seen.page)
        adapter = self.app.url_map.bind("localhost")
        for form in forms_on(response.get_data(as_text=True), seen.page):
            action = urlsplit(form.action).path
            if action == seen.path and form_key(_endpoint(adapter, action, "POST"), form) == key:
                return form
        return seen.form

    def refused_by_flash(self) -> bool:
        """Whether the redirect carries an error (a refusal, not a save). The messages are
        taken, as the page after the redirect would."""
        with self.client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        return any(category == "danger" for category, _ in flashes)

    def walk_form(self, key: tuple, seen: Seen) -> None:
        """Send the form ``seen`` once per field and bad value, then as the page offers it.

        A field is walked once per endpoint and shape: one row of a repeated group
        (``windows-1-day``, ``cell-3-7-proficiency``) stands for the others, and the form
        again after a refusal or a confirmation step adds only its new fields. Each request
        has plain values of its own, so that one accepted does not make the next a duplicate;
        a form with hidden fields is read again from its page after each save.
        """
        endpoint, form, path, walker = key[0], seen.form, seen.path, seen.walker
        hidden = any(item.kind == "hidden" for item in form.fields.values())
        shapes, fields = self.shapes.setdefault(endpoint, set()), []
        buttons = [name for name, _ in form.buttons[:1]]
        named = [(name, item.kind, item.maxlength) for name, item in form.fields.items()]
        for name, kind, maxlength in [*named, *((name, "submit", None) for name in buttons)]:
            shape = (re.sub(r"\d+", "#", name), kind)
            if shape not in shapes:
                shapes.add(shape)
                fields.append((name, bad_values(kind, maxlength)))
        if not fields and endpoint in self.accepted:
            return
        labels = {label for _, values in fields for label in values}
        for label in sorted(labels, key=lambda label: (label in ACCEPTABLE, label)):
            for name, values in fields:
                if label in values:
                    body = {**plain_body(form, next(self.serial)), name: [values[label]]}
                    if self.post(walker, endpoint, path, f"{name}={label}", body) and hidden:
                        form = self.reread(key, seen)
        self.post(walker, endpoint, path, AS_OFFERED, plain_body(form, next(self.serial)))


def _order(endpoint: str) -> int:
    """The forms that end an application after the others, then deletions, then ``LAST``."""
    if endpoint in LAST:
        return 3
    if endpoint.rpartition(".")[2].startswith("delete"):
        return 2
    return int(endpoint in LATER)


# The walk ----------------------------------------------------------------------------------


@dataclass
class Team:
    """The walker's team (``tests.test_tenancy_walk.build_team``), the users who walk it,
    and the rows some forms need besides: a draft job with no plan yet (to open, and to
    copy a plan into), a second open job with a one-stage plan and an application whose
    next step is not booked (its stage can be scheduled, its portal asks for the
    candidate's windows, its candidate can apply to the first job), and a skill and a level
    nobody uses (they can be deleted). They come first in ``rows.ids``, so that pages name
    them first, and so does the upcoming interview.
    """

    rows: TeamRows
    users: dict[str, object]


@pytest.fixture
def team(app, db) -> Team:
    rows = build_team(app, db, "Walker")
    draft = factories.JobFactory(team=rows.team, status=JobStatus.DRAFT, title="Walker draft")
    second = factories.JobFactory(team=rows.team, title="Walker second job")
    stage = factories.PlanStageFactory(team=rows.team, job=second, position=1, name="Screen")
    factories.KitVersionFactory(team=rows.team, plan_stage=stage)
    waiting = factories.ApplicationFactory(
        team=rows.team, job=second, current_stage=stage, candidate__name="Wanda Walker"
    )
    skill = factories.SkillFactory(team=rows.team, name="Walker unused skill")
    level = factories.LevelFactory(team=rows.team, name="Walker unused level")
    # Listed first on the users page, so its Deactivate form is the one walked, never a
    # walker's.
    factories.UserFactory(team=rows.team, name="Aaron Walker", role=Role.INTERVIEWER)
    # An email waiting after a failed attempt: the outbox offers to retry it.
    db.session.add(
        OutboxEmail(
            team_id=rows.team.id,
            to_email="walker@example.org",
            subject="Interview booked",
            body="See you.",
            attempts=1,
            last_error="451 try again later",
        )
    )
    # An archived source, so the sources page offers to restore one.
    factories.CandidateSourceFactory(team=rows.team, name="Old job board", archived=True)
    db.session.flush()
    for name, row in (
        ("job_id", draft),
        ("stage_id", stage),
        ("skill_id", skill),
        ("level_id", level),
        ("application_id", waiting),
        ("candidate_id", waiting.candidate),
    ):
        rows.ids[name].insert(0, row.id)
    rows.ids["interview_id"].reverse()  # the upcoming one first: it can be rescheduled
    with app.test_request_context():
        rows.secrets["portal (waiting)"] = make_token(waiting)
    colleague = db.session.scalar(
        select(User).where(User.team_id == rows.team.id, User.name.startswith("Cole"))
    )
    # The interviewer is setting up two-factor sign-in (the page asks for the first code); the
    # colleague has it on (the page offers new recovery codes and turning it off).
    rows.users[Role.INTERVIEWER].totp_secret = two_factor_support.SECRET
    two_factor_support.turn_on(colleague)
    users = {
        "admin": rows.users[Role.ADMIN],
        "manager": rows.users[Role.HIRING_MANAGER],
        "interviewer": rows.users[Role.INTERVIEWER],
        "colleague": colleague,
    }
    return Team(rows, users)


def walk_forms(walker_: Walker, sign_in_as) -> None:
    """Walk each form with the first walker who saw it, in the order of ``_order`` across
    walkers (all walkers' plain forms before anyone ends an application); forms that
    answers show on the way (confirmation steps) join the queue."""
    found, walked = walker_.found, set()
    for phase in range(4):
        for walker in WALKERS:
            signed_in = False
            while todo := [
                key
                for key, seen in found.posts.items()
                if seen.walker == walker and _order(key[0]) == phase and key not in walked
            ]:
                if not signed_in:
                    sign_in_as(walker)
                    signed_in = True
                walked.add(todo[0])
                walker_.walk_form(todo[0], found.posts[todo[0]])


def walk_queries(app, walker_: Walker, sign_in_as) -> None:
    """Send each bad value in each query argument that the pages send (and those that
    ``UNLINKED_QUERY_ARGUMENTS`` names), as the walker who saw it."""
    queries = walker_.found.queries
    for endpoint, names in UNLINKED_QUERY_ARGUMENTS.items():
        # A page with ids in its path is sent the argument where the walk found the page.
        seen = next(iter(queries.get(endpoint, {}).values()), None)
        where = seen or ("admin", walk.build(app, next(app.url_map.iter_rules(endpoint)), {}))
        for name in names:
            queries.setdefault(endpoint, {}).setdefault(name, where)
    read = read_query_arguments()
    sent = {name for names in queries.values() for name in names}
    assert read <= sent, f"query arguments that no page sends: {sorted(read - sent)}"
    by_walker = sorted(
        (WALKERS.index(walker), path, name)
        for names in queries.values()
        for name, (walker, path) in names.items()
    )
    for index, group in itertools.groupby(by_walker, key=lambda item: item[0]):
        sign_in_as(WALKERS[index])
        for _, path, name in group:
            for label, value in BAD_QUERY.items():
                walker_.send("GET", path, f"?{name}={label}", {name: value})


def test_no_form_field_or_query_argument_gives_a_server_error(
    app, client, db, auth, team, monkeypatch
):
    # One row a page, so that every list shows the links to its other pages.
    monkeypatch.setitem(app.config, "PER_PAGE", 1)
    # No DNS here: the address a walker types for a webhook resolves to a public one.
    monkeypatch.setattr(
        webhook_targets.socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(2, 1, 6, "", ("93.184.216.34", 443))],
    )
    found = Found()

    def sign_in_as(walker) -> None:
        client.post("/logout")
        limiter.reset()  # the walk of the sign-in form used up its attempts
        if walker is not None:
            auth.login(user=team.users[walker])

    for walker in WALKERS:
        sign_in_as(walker)
        crawl(app, client, team.rows, walker, found)
    shown = {endpoint for endpoint, _, _ in found.posts}
    missing = [
        f"{rule.rule} ({rule.endpoint})"
        for rule in walk.walked_rules(app, "POST")
        # The JSON API has no forms: tests/test_api_schema.py walks it from its document.
        if rule.endpoint not in shown | set(NO_FORM) and not rule.rule.startswith("/api/")
    ]
    assert not missing, "POST routes that no page shows a form for:\n" + "\n".join(missing)

    walker_ = Walker(app, client, db, found)
    walk_forms(walker_, sign_in_as)
    walk_queries(app, walker_, sign_in_as)

    assert not walker_.errors, (
        f"{len(walker_.errors)} server errors in {walker_.sent} requests:\n"
        + "\n".join(walker_.errors)
    )
    with_fields = {endpoint for endpoint, fields, _ in found.posts if fields}
    never = sorted(with_fields - walker_.accepted - set(NEVER_ACCEPTED))
    assert not never, f"forms never accepted, so the walk never reached the database: {never}"


def test_ids_beyond_any_integer_in_the_address_are_not_found(app, client, db, auth, team):
    """Every route with an id in its path, given an id beyond BIGINT (and the walker's own
    token, slug and move names), answers 404 (403 where the role is refused first)."""
    auth.login(user=team.users["admin"])
    huge = int(BAD_NUMBERS["a number beyond BIGINT"])
    ids = {name: [huge] for name in team.rows.ids if name.endswith("_id")}
    secrets = {
        "portal": {"token": [team.rows.secrets["portal"]]},
        "scheduling.feed_ics": {"token": [team.rows.secrets["calendar"]]},
        "careers": {"team_slug": team.rows.ids["team_slug"]},
        "branding": {"team_slug": team.rows.ids["team_slug"]},
        "accounts.reset_password": {"token": [team.rows.secrets["reset"]]},
        "accounts": {"token": [team.rows.secrets["invitation"]]},
    }
    answers = {}
    for method in ("GET", "POST"):
        urls, unfilled = walk.urls(app, {**NEUTRAL, **ids, "job_slug": ["x"]}, secrets, method)
        assert not unfilled, unfilled
        for endpoint, paths in urls.items():
            for path in paths:
                if any(str(huge) in part for part in path.split("/")) and endpoint not in LAST:
                    answers[f"{method} {path}"] = client.open(path, method=method).status_code
    assert len(answers) > 30
    assert {status for status in answers.values()} <= {403, 404}, {
        url: status for url, status in answers.items() if status not in (403, 404)
    }


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "x" * 10_000, "\u202e👩‍💻"])
def test_odd_text_in_the_address_is_not_found(app, client, db, auth, team, text):
    """Every route with text in its path (a token, a slug, a move), given NUL, 10,000
    characters or emoji there, answers 404 (the ids are the walker's own)."""
    auth.login(user=team.users["admin"])
    names = {"token", "team_slug", "job_slug", "move", "kind"}
    values = {**team.rows.ids, **{name: [text] for name in names}}
    answers = {}
    for method in ("GET", "POST"):
        urls, unfilled = walk.urls(app, values, {}, method)
        assert not unfilled, unfilled
        for rule in walk.walked_rules(app, method):
            if rule.arguments & names and rule.endpoint in urls:
                path = urls[rule.endpoint][0]
                answers[f"{method} {rule.rule}"] = client.open(path, method=method).status_code
    assert len(answers) >= 8
    assert set(answers.values()) == {404}, answers


#: What WTForms says of an empty required field when the form gives no message of its own.
STOCK_REQUIRED = "This field is required."


def test_an_empty_form_says_which_field_to_fill(app, client, db, auth, team):
    """Every form with a field a person fills, sent with those fields empty (hidden fields
    and the first button as the page offers them), answers in words that name what to do,
    never WTForms' stock "This field is required." (nor on the page a redirect leads to)."""
    found = Found()

    def sign_in_as(walker) -> None:
        client.post("/logout")
        limiter.reset()
        if walker is not None:
            auth.login(user=team.users[walker])

    for walker in WALKERS:
        sign_in_as(walker)
        crawl(app, client, team.rows, walker, found)
    stock, sent = [], 0
    for walker in WALKERS:
        sign_in_as(walker)
        for (endpoint, _, _), seen in found.posts.items():
            typed = [name for name, item in seen.form.fields.items() if item.kind != "hidden"]
            if seen.walker != walker or _order(endpoint) == 3 or not typed:
                continue
            body = {**seen.form.body(), **{name: [""] for name in typed}}
            response = client.post(seen.path, data=body, follow_redirects=True)
            sent += 1
            if STOCK_REQUIRED in response.get_data(as_text=True):
                stock.append(f"{endpoint} ({seen.path})")
    assert sent > 40
    assert not stock, "forms that answer an empty field with the stock message:\n" + "\n".join(
        stock
    )


def test_every_required_check_of_the_forms_says_what_to_do():
    """Each ``DataRequired``/``InputRequired`` in the package's forms carries its message."""
    bare = []
    for path in PACKAGE.rglob("*forms.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).rpartition(".")[2] in {"DataRequired", "InputRequired"}
                and not node.args
                and not any(keyword.arg == "message" for keyword in node.keywords)
            ):
                bare.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not bare, bare
