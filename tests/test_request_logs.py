"""Logs: with ``LOG_FORMAT=json`` one JSON object a line, each request with its id (the
caller's ``X-Request-ID`` when safe, else a new one, echoed in the response) and an access
line; plain text otherwise. Errors go to Sentry when ``SENTRY_DSN`` is set and sentry-sdk
is installed, and the app starts without it."""

from __future__ import annotations

import io
import json
import logging
import sys
from datetime import datetime

import pytest

from interviewer import create_app, logs
from interviewer.auth.models import Role
from interviewer.extensions import limiter
from tests import factories
from tests.conftest import PASSWORD

DSN = "https://public@o0.ingest.sentry.example/1"


@pytest.fixture
def restore_logging(app):
    """Put the logging set-up, and the shared limiter, back as they were."""
    root = logging.getLogger()
    ours = logging.getLogger("interviewer")
    saved = (root.handlers[:], root.level, ours.handlers[:], ours.level)
    yield
    root.handlers[:], ours.handlers[:] = saved[0], saved[2]
    root.setLevel(saved[1])
    ours.setLevel(saved[3])
    limiter.init_app(app)


def build(name: str, app, **settings):
    """An app on the test database, and the stream its log handler writes to."""
    built = create_app(
        name, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **settings
    )
    stream = io.StringIO()
    for handler in logging.getLogger().handlers:
        if handler.get_name() == logs.HANDLER_NAME:
            handler.setStream(stream)
    return built, stream


@pytest.fixture
def json_app(app, db, restore_logging):
    built, stream = build("testing", app, LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False)

    @built.get("/test/note")
    def note():
        logging.getLogger("interviewer.test").warning("a note from inside the request")
        return "noted"

    @built.get("/test/boom")
    def boom():
        raise RuntimeError("the view broke")

    built.stream = stream
    return built


def lines(stream: io.StringIO) -> list[dict]:
    """Every line written, each parsed as one JSON object."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def access_lines(stream: io.StringIO) -> list[dict]:
    return [line for line in lines(stream) if line["logger"] == "interviewer.access"]


def test_each_request_writes_one_json_access_line_with_the_callers_id(json_app):
    response = json_app.test_client().get("/healthz", headers={"X-Request-ID": "lb-4f2a.77"})

    assert response.headers["X-Request-ID"] == "lb-4f2a.77"
    (line,) = lines(json_app.stream)
    assert line["logger"] == "interviewer.access"
    assert line["level"] == "INFO"
    assert line["message"] == "GET /healthz 200"
    assert line["request_id"] == "lb-4f2a.77"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert 0 <= line["duration_ms"] < 10_000
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0
    assert "user_id" not in line


@pytest.mark.parametrize("sent", ["two words", "x" * 129, "<script>", "id;rm", "", "ünï"], ids=repr)
def test_an_unsafe_request_id_is_replaced_by_a_new_one(json_app, sent):
    response = json_app.test_client().get("/healthz", headers={"X-Request-ID": sent})

    made = response.headers["X-Request-ID"]
    assert made != sent
    assert len(made) == 32
    assert int(made, 16) >= 0
    assert access_lines(json_app.stream)[0]["request_id"] == made


def test_each_request_without_an_id_gets_its_own(json_app):
    client = json_app.test_client()

    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]

    assert first != second
    assert [line["request_id"] for line in access_lines(json_app.stream)] == [first, second]


def test_lines_logged_inside_a_request_carry_its_id(json_app):
    response = json_app.test_client().get("/test/note", headers={"X-Request-ID": "abc-1"})

    assert response.status_code == 200
    note, access = lines(json_app.stream)
    assert note["message"] == "a note from inside the request"
    assert (note["logger"], note["level"]) == ("interviewer.test", "WARNING")
    assert (note["request_id"], note["method"], note["path"]) == ("abc-1", "GET", "/test/note")
    assert access["request_id"] == "abc-1"


def test_an_error_is_logged_as_json_with_its_traceback_and_the_request_id(json_app):
    response = json_app.test_client().get("/test/boom")

    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    logged = lines(json_app.stream)
    errors = [line for line in logged if line["level"] == "ERROR"]
    assert errors and all(line["request_id"] == request_id for line in errors)
    assert any("RuntimeError: the view broke" in line.get("exc_info", "") for line in errors)
    assert access_lines(json_app.stream)[-1]["status"] == 500


def test_the_access_line_names_the_signed_in_user(json_app, db):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    client = json_app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})

    client.get("/jobs")
    client.get("/healthz")

    signed_in, probe = access_lines(json_app.stream)[-2:]
    assert (signed_in["path"], signed_in["status"], signed_in["user_id"]) == ("/jobs", 200, user.id)
    # A request that never asked who is signed in does not load the user just to log it.
    assert probe["path"] == "/healthz"
    assert "user_id" not in probe


def test_secret_tokens_in_paths_are_masked(json_app):
    json_app.test_client().get("/portal/the-candidates-secret-token")

    (line,) = access_lines(json_app.stream)
    assert line["path"] == "/portal/[secret]"
    assert "the-candidates-secret-token" not in json_app.stream.getvalue()


def test_plain_text_is_the_default_and_writes_no_access_lines(app, restore_logging, tmp_path):
    built, stream = build("development", app)

    response = built.test_client().get("/healthz")
    logging.getLogger("interviewer.test").warning("a plain warning")

    assert response.headers["X-Request-ID"]
    (line,) = stream.getvalue().splitlines()
    assert line.endswith(" WARNING interviewer.test: a plain warning")


def test_building_the_app_again_replaces_the_log_handler(app, restore_logging):
    build("testing", app, LOG_FORMAT="json")
    build("testing", app, LOG_FORMAT="json")

    ours = [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]
    assert len(ours) == 1


# --- error reporting -------------------------------------------------------------------------


@pytest.fixture
def sentry_calls(monkeypatch):
    """``sentry_sdk.init`` and ``set_tag`` recorded instead of run: nothing leaves the machine."""
    sentry_sdk = pytest.importorskip("sentry_sdk")
    calls = {"init": [], "set_tag": []}
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: calls["init"].append(kwargs))
    monkeypatch.setattr(sentry_sdk, "set_tag", lambda *args: calls["set_tag"].append(args))
    return calls


def test_sentry_is_initialised_when_a_dsn_is_set(app, restore_logging, sentry_calls):
    from sentry_sdk.integrations.flask import FlaskIntegration

    built, _ = build("testing", app, SENTRY_DSN=DSN)
    response = built.test_client().get("/healthz")

    (init,) = sentry_calls["init"]
    assert init["dsn"] == DSN
    assert init["send_default_pii"] is False
    assert [type(integration) for integration in init["integrations"]] == [FlaskIntegration]
    assert sentry_calls["set_tag"] == [("request_id", response.headers["X-Request-ID"])]


def test_sentry_is_left_alone_without_a_dsn(app, restore_logging, sentry_calls):
    build("testing", app)

    assert sentry_calls["init"] == []


def test_a_dsn_without_sentry_installed_warns_once_and_the_app_starts(
    app, restore_logging, monkeypatch, caplog
):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)

    with caplog.at_level(logging.WARNING):
        built, _ = build("testing", app, SENTRY_DSN=DSN)

    warnings = [record for record in caplog.records if "SENTRY_DSN" in record.getMessage()]
    assert len(warnings) == 1
    assert "sentry-sdk is not installed" in warnings[0].getMessage()
    assert built.test_client().get("/healthz").status_code == 200
