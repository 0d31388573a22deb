"""Tokens signed with the real key but holding what the app never writes open nothing: the
portal link and the calendar feed answer 404, an odd session or remember-me cookie leaves the
visitor signed out, an odd CSRF token is refused with a 400; none of them is a 500, on
SQLite or PostgreSQL.

The key is the app's own ``SECRET_KEY``: only whoever holds it can sign such a token, so
these are the app's own mistakes or a leaked key, not guesses; the answer must still be
clean.
"""

from __future__ import annotations

import pytest
from flask_login.utils import encode_cookie
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

from interviewer.auth.models import Role
from interviewer.candidates import portal_links
from interviewer.candidates.portal_links import make_token
from tests import factories

BEYOND_BIGINT = 2**63
FAR_BEYOND = 10**30

#: Portal payloads, made from a real application's id and link generation.
PORTAL_PAYLOADS = {
    "a list of strings": lambda id_, gen: [str(id_), str(gen)],
    "an id beyond BIGINT": lambda id_, gen: [BEYOND_BIGINT, gen],
    "an id far beyond BIGINT": lambda id_, gen: [FAR_BEYOND, gen],
    "an id beyond INTEGER": lambda id_, gen: [2**31, gen],
    "a generation beyond BIGINT": lambda id_, gen: [id_, BEYOND_BIGINT],
    "a negative id": lambda id_, gen: [-id_, gen],
    "a negative generation": lambda id_, gen: [id_, -1],
    "nested lists": lambda id_, gen: [[id_], [gen]],
    "a dict": lambda id_, gen: {"application": id_, "generation": gen},
    "a dict of two keys": lambda id_, gen: {str(id_): gen, "x": 1},
    "floats": lambda id_, gen: [float(id_), float(gen)],
    "booleans": lambda id_, gen: [True, True],
    "one number": lambda id_, gen: [id_],
    "three numbers": lambda id_, gen: [id_, gen, 1],
    "a string": lambda id_, gen: f"{id_}:{gen}",
    "a huge number": lambda id_, gen: FAR_BEYOND,
    "null": lambda id_, gen: None,
    "NUL in a string": lambda id_, gen: ["\x00", gen],
}


@pytest.fixture
def booked(db):
    """An active application at a one-stage plan, and its booked interview."""
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    stage = factories.PlanStageFactory(team=team, job=job, position=1)
    kit = factories.KitVersionFactory(team=team, plan_stage=stage)
    application = factories.ApplicationFactory(team=team, job=job, current_stage=stage)
    interview = factories.InterviewFactory(
        team=team, application=application, plan_stage=stage, kit_version=kit
    )
    db.session.flush()
    return application, interview


def signed(app, payload) -> str:
    """``payload`` signed as portal links are, with the app's own key."""
    return URLSafeSerializer(app.config["SECRET_KEY"], salt=portal_links.SALT).dumps(payload)


def portal_answers(client, token: str, interview_id: int) -> dict[str, int]:
    return {
        "page": client.get(f"/portal/{token}").status_code,
        "time zone": client.post(f"/portal/{token}/timezone", data={"timezone": "UTC"}).status_code,
        "windows": client.post(f"/portal/{token}/windows", data={}).status_code,
        "calendar file": client.get(f"/portal/{token}/interviews/{interview_id}.ics").status_code,
    }


def test_the_genuine_link_opens_the_portal(app, client, booked):
    application, interview = booked
    with app.test_request_context():
        token = make_token(application)
    assert signed(app, [application.id, application.portal_generation]) == token
    answers = portal_answers(client, token, interview.id)
    assert answers["page"] == 200
    assert answers["calendar file"] == 200


@pytest.mark.parametrize("make", PORTAL_PAYLOADS.values(), ids=PORTAL_PAYLOADS.keys())
def test_a_portal_token_with_an_odd_payload_is_not_found(app, client, booked, make):
    application, interview = booked
    token = signed(app, make(application.id, application.portal_generation))

    answers = portal_answers(client, token, interview.id)

    assert answers == dict.fromkeys(answers, 404)


@pytest.mark.parametrize("make", PORTAL_PAYLOADS.values(), ids=PORTAL_PAYLOADS.keys())
def test_read_token_refuses_an_odd_payload(app, make):
    with app.test_request_context():
        assert portal_links.read_token(signed(app, make(7, 1))) is None
        assert portal_links.read_token(signed(app, [7, 1])) == (7, 1)


# The calendar feed ---------------------------------------------------------------------------

ODD_FEED_TOKENS = {
    "NUL": "%00",
    "NUL inside": "abc%00def",
    "10,000 characters": "a" * 10_000,
    "65 characters": "a" * 65,
    "emoji": "%F0%9F%A6%93",
    "a right-to-left mark": "%E2%80%AEabc",
    "a percent sign": "%25",
    "a space": "a%20b",
}


def test_the_genuine_feed_token_opens_the_feed(client, db):
    user = factories.UserFactory(role=Role.INTERVIEWER, calendar_token="A-real_token123")
    db.session.flush()
    assert client.get(f"/calendar/{user.calendar_token}.ics").status_code == 200


@pytest.mark.parametrize("token", ODD_FEED_TOKENS.values(), ids=ODD_FEED_TOKENS.keys())
def test_an_odd_feed_token_is_not_found(client, db, token):
    factories.UserFactory(role=Role.INTERVIEWER, calendar_token="A-real_token123")
    db.session.flush()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


# The session and remember-me cookies ---------------------------------------------------------

ODD_SESSIONS = {
    "a user id that is a list": {"_user_id": ["1"]},
    "a user id beyond BIGINT": {"_user_id": str(FAR_BEYOND)},
    "a user id that is a huge number": {"_user_id": FAR_BEYOND},
    "a negative user id": {"_user_id": "-1"},
    "a user id that is a float": {"_user_id": 1.5},
    "a user id with NUL": {"_user_id": "1\x00"},
    "a user id that is a dict": {"_user_id": {"id": 1}},
    "flashes that are a number": {"_flashes": 5},
    "flashes that are not pairs": {"_flashes": [["danger"]]},
    "flashes holding numbers": {"_flashes": [[1, 2]]},
    "a CSRF token that is a list": {"csrf_token": ["x"]},
    "a CSRF token with an accent": {"csrf_token": "caf\u00e9"},
    "a freshness that is a string": {"_fresh": "yes"},
}


@pytest.mark.parametrize("content", ODD_SESSIONS.values(), ids=ODD_SESSIONS.keys())
def test_an_odd_session_signs_the_visitor_out(app, client, db, monkeypatch, content):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    factories.UserFactory(role=Role.ADMIN)
    db.session.flush()
    with client.session_transaction() as session:
        session.update(content)

    home = client.get("/dashboard")
    login = client.get("/login")
    posted = client.post("/login", data={"email": "x@example.com", "password": "x"})

    assert home.status_code == 302 and "/login" in home.headers["Location"]
    assert login.status_code == 200
    assert posted.status_code == 400  # no CSRF token: refused, not a crash


def test_a_well_formed_session_keeps_the_user_signed_in(client, auth):
    auth.login(Role.ADMIN)
    with client.session_transaction() as session:
        assert session["_user_id"].isdigit()
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    "user_id", ["99999999999999999999", str(2**31), "0", "-5", "1.5", "abc", "1\x00"]
)
def test_a_remember_me_cookie_for_an_odd_id_signs_nobody_in(app, client, db, user_id):
    with app.test_request_context():
        cookie = encode_cookie(user_id)
    client.set_cookie("remember_token", cookie)

    response = client.get("/dashboard")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


# The CSRF token of a form ----------------------------------------------------------------

ODD_CSRF_PAYLOADS = {
    "a list": ["x"],
    "a number": FAR_BEYOND,
    "a dict": {"token": "x"},
    "text with an accent": "caf\u00e9",
    "NUL": "\x00",
}


@pytest.mark.parametrize("payload", ODD_CSRF_PAYLOADS.values(), ids=ODD_CSRF_PAYLOADS.keys())
def test_a_csrf_token_with_an_odd_payload_is_refused(app, client, db, monkeypatch, payload):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.get("/login").status_code == 200  # the session now holds its CSRF secret
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(payload)

    response = client.post(
        "/login", data={"email": "x@example.com", "password": "x", "csrf_token": token}
    )

    assert response.status_code == 400


def test_a_genuine_csrf_token_is_accepted(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

    response = client.post(
        "/login", data={"email": "x@example.com", "password": "x", "csrf_token": token}
    )

    assert response.status_code == 401  # past the CSRF check: the sign-in itself is refused
