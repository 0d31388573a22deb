"""Security headers, on every response: every GET route of ``app.url_map`` (through
``tests/walk.py``, with a team's real ids, tokens and slugs), signed out and as each role,
redirects and refusals included; static files; error pages. HSTS in production only. What a
real server process puts on the wire: no ``Server`` header with a version.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from pathlib import Path

import flask_migrate
import pytest

import config
from interviewer import create_app
from interviewer.auth.models import Role
from interviewer.branding.routes.public import SVG_POLICY
from interviewer.extensions import db as extension_db
from interviewer.extensions import limiter
from tests import walk
from tests.server_process import ServerProcess, flask_run, gunicorn
from tests.test_tenancy_walk import NEUTRAL, build_team

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
#: Features a page never needs: each must be turned off.
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")
#: What the templates must not hold under a CSP without 'unsafe-inline'.
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"[\s\"']style\s*=", re.I),
    "an event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}
#: The one response with a policy of its own: a team's SVG logo, which opened on its own
#: may only draw (its inline styles, in a sandbox, loading nothing).
SVG_LOGO = re.compile(r"^/careers/[^/]+/brand/logo\b")


def problems(path: str, response) -> list[str]:
    """One line per security header of ``response`` that is missing or not as it must be."""
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in csp.split(";")) if part
    )
    # The page that asks before renewing a candidate's link shows the link it revokes.
    private = path.startswith(("/portal/", "/careers/", "/password/reset/", "/invite/")) or bool(
        re.fullmatch(r"/applications/\d+/portal-link", path)
    )
    permissions = headers.get("Permissions-Policy", "")
    expected = {
        "CSP default-src": (directives.get("default-src"), "'self'"),
        "CSP script-src": (directives.get("script-src"), "'self'"),
        "CSP style-src": (directives.get("style-src"), "'self'"),
        "CSP object-src": (directives.get("object-src"), "'none'"),
        "CSP frame-ancestors": (directives.get("frame-ancestors"), "'none'"),
        "CSP base-uri": (directives.get("base-uri"), "'self'"),
        "CSP form-action": (directives.get("form-action"), "'self'"),
        "X-Frame-Options": (headers.get("X-Frame-Options"), "DENY"),
        "X-Content-Type-Options": (headers.get("X-Content-Type-Options"), "nosniff"),
        "Referrer-Policy": (
            headers.get("Referrer-Policy"),
            "no-referrer" if private else "strict-origin-when-cross-origin",
        ),
        "Cross-Origin-Opener-Policy": (headers.get("Cross-Origin-Opener-Policy"), "same-origin"),
        "Server": (headers.get("Server"), "interviewer"),
        "Strict-Transport-Security (testing)": (headers.get("Strict-Transport-Security"), None),
    }
    svg_logo = SVG_LOGO.match(path) and response.mimetype == "image/svg+xml"
    if svg_logo:
        expected = {name: pair for name, pair in expected.items() if not name.startswith("CSP")}
        expected["CSP of the SVG logo"] = (csp, SVG_POLICY)
    found = [
        f"{path} ({response.status_code}): {name} is {got!r}, expected {want!r}"
        for name, (got, want) in expected.items()
        if got != want
    ]
    if "unsafe" in csp and not svg_logo:
        found.append(f"{path}: the CSP allows something unsafe: {csp}")
    found += [
        f"{path}: Permissions-Policy leaves {feature} on: {permissions!r}"
        for feature in DENIED_FEATURES
        if f"{feature}=()" not in permissions
    ]
    return found


@pytest.fixture
def team_urls(app, db):
    """The team's rows, and every GET URL of the app filled with them, static files too."""
    rows = build_team(app, db, "Headers")
    by_endpoint = {
        "portal": {"token": [rows.secrets["portal"]]},
        "scheduling.feed_ics": {"token": [rows.secrets["calendar"]]},
        "accounts.reset_password": {"token": [rows.secrets["reset"]]},
        "accounts": {"token": [rows.secrets["invitation"]]},
        "static": {"filename": ["css/app.css", "js/copy.js", "no-such-file.css"]},
        "bootstrap.static": {"filename": ["css/bootstrap.min.css"]},
    }
    found, missing = walk.urls(app, {**NEUTRAL, **rows.ids}, by_endpoint, skipped={})
    assert not missing, "routes the header walk cannot fill:\n" + "\n".join(missing)
    return rows, [url for urls in found.values() for url in urls]


def walk_headers(client, urls: list[str]) -> tuple[list[str], set[int]]:
    """Request every URL without following redirects; the problems and the statuses seen."""
    found, statuses = [], set()
    for url in urls:
        response = client.get(url)
        response.close()  # a static file's answer holds the file open
        statuses.add(response.status_code)
        found += problems(url, response)
    return found, statuses


def test_every_get_route_sends_the_security_headers_signed_out(client, team_urls):
    _rows, urls = team_urls

    found, statuses = walk_headers(client, urls)

    assert not found, "\n".join(found)
    # The walk met pages, redirects to sign-in and missing rows alike.
    assert {200, 302, 404} <= statuses


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_get_route_sends_the_security_headers_to_each_role(client, auth, team_urls, role):
    rows, urls = team_urls
    auth.login(user=rows.users[role])

    found, statuses = walk_headers(client, urls)

    assert not found, "\n".join(found)
    assert 200 in statuses


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page",
        "/portal/not-a-real-token",
        "/portal/not-a-real-token/and/more",
        "/careers/no-such-team",
        "/static/no-such-file.js",
        "/dashboard",
    ],
)
def test_errors_and_redirects_carry_the_headers_too(client, db, path):
    response = client.get(path)
    response.close()

    assert response.status_code in {302, 404}
    assert problems(path, response) == []


def test_a_refused_method_and_a_server_error_carry_the_headers(app, tmp_path):
    failing = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'extra.db'}",
        PROPAGATE_EXCEPTIONS=False,
    )

    @failing.get("/boom")
    def boom():
        raise RuntimeError("boom")

    client = failing.test_client()
    refused, broken = client.post("/login/nowhere"), client.get("/boom")
    limiter.init_app(app)

    assert (refused.status_code, broken.status_code) == (404, 500)
    assert problems("/login/nowhere", refused) + problems("/boom", broken) == []


def test_no_template_holds_an_inline_script_style_or_event_handler():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()[:100]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for what, pattern in INLINE.items()
        if pattern.search(line)
    ]

    assert not found, "move these into static/ (CSS classes, JS files):\n" + "\n".join(found)


def test_the_template_scan_finds_what_it_looks_for():
    lines = [
        "<script>alert(1)</script>",
        '<p style="color: red">',
        "<style>p {}</style>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ]
    assert [any(p.search(line) for p in INLINE.values()) for line in lines] == [True] * 5
    assert not any(p.search('<script src="/static/js/copy.js"></script>') for p in INLINE.values())
    assert not any(p.search('<input data-copy="#feed-url">') for p in INLINE.values())


# --- HSTS: production only -------------------------------------------------------------------


@pytest.fixture
def production(monkeypatch, app, tmp_path):
    """Build a production app on a throwaway database; the shared limiter goes back after."""
    for name in config.ProductionConfig.READ_AT_START:
        monkeypatch.setattr(config.ProductionConfig, name, getattr(config.ProductionConfig, name))
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db.internal/interviewer")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://cache.internal:6379")

    def make(**overrides):
        return create_app(
            "production",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'extra.db'}",
            RATELIMIT_STORAGE_URI="memory://",
            **overrides,
        )

    yield make
    limiter.init_app(app)


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    response = production().test_client().get("/login")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_can_be_shortened_kept_to_the_host_or_turned_off(production):
    short = production(HSTS_SECONDS=300, HSTS_INCLUDE_SUBDOMAINS=False).test_client()
    off = production(HSTS_SECONDS=0).test_client()

    assert short.get("/login").headers["Strict-Transport-Security"] == "max-age=300"
    assert "Strict-Transport-Security" not in off.get("/login").headers


def test_development_sends_no_hsts(app, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "development-key")
    development = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'extra.db'}",
        RATELIMIT_STORAGE_URI="memory://",
    )
    limiter.init_app(app)

    response = development.test_client().get("/login")

    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


HSTS_SCRIPT = "import config; print(config.ProductionConfig.HSTS_SECONDS)"


@pytest.mark.parametrize(
    ("value", "read"),
    [("600", "600"), ("0", "0"), ("", "31536000"), ("-1", "HSTS_SECONDS='-1' is not a whole")],
)
def test_hsts_seconds_is_read_from_the_environment(value, read):
    result = subprocess.run(
        [sys.executable, "-c", HSTS_SCRIPT],
        cwd=ROOT,
        env={"HSTS_SECONDS": value, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.stdout.startswith(read), result.stderr


# --- what a real server sends ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('headers') / 'served.db'}"
    builder = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with builder.app_context():
        flask_migrate.upgrade()
        extension_db.engine.dispose()
    return url


def on_the_wire(base_url: str, path: str) -> tuple[int, list[tuple[str, str]]]:
    """The status and the raw header lines the server sent for ``GET path``."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheaders()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("serve", "server"),
    [(flask_run, "interviewer"), (gunicorn, "gunicorn")],
    ids=["flask run", "gunicorn"],
)
def test_a_real_server_names_no_version(serve, server, sqlite_file, tmp_path):
    with ServerProcess(serve, sqlite_file, log=tmp_path / "server.log") as running:
        answers = {
            path: on_the_wire(running.url, path)
            for path in ("/login", "/dashboard", "/static/css/app.css", "/no-such-page")
        }

    for path, (status, headers) in answers.items():
        names = [value for name, value in headers if name.lower() == "server"]
        assert names == [server], f"{path} ({status}): Server headers {names}"
        assert not re.search(r"werkzeug|python", " ".join(v for _, v in headers), re.I)
        sent = {name.lower() for name, _ in headers}
        assert {"content-security-policy", "x-frame-options", "referrer-policy"} <= sent
    assert {status for status, _ in answers.values()} == {200, 302, 404}
