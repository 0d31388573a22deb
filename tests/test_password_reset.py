"""A forgotten password reset by email: the same answer for every address, a private email
with a link that works once, for an hour, until the password changes; every session ends."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from interviewer.audit.models import AuditEvent
from interviewer.auth import password_changes
from interviewer.auth.models import Role
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail
from tests import factories
from tests.conftest import PASSWORD
from tests.test_user_sessions import replay, session_cookie, sign_in

NEW = "plum violin orbit kettle"
LINK = re.compile(r"https?://[^\s]+/password/reset/([^\s/]+)")


def ask(client, email):
    return client.post("/password/forgot", data={"email": email})


def emails_to(db, address) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_email == address)))


def reset_link(db, address) -> str:
    (email,) = emails_to(db, address)
    return "/password/reset/" + LINK.search(email.body).group(1)


def choose(client, link, new=NEW, repeat=None):
    return client.post(link, data={"password": new, "repeat": new if repeat is None else repeat})


@pytest.fixture
def user(db):
    return factories.UserFactory(name="Ada Lovelace", email="ada@example.com")


def test_the_sign_in_page_links_to_the_forgot_page(client, db):
    page = client.get("/login").get_data(as_text=True)

    assert 'href="/password/forgot">Forgot your password?</a>' in page
    assert "Send me a link" in client.get("/password/forgot").get_data(as_text=True)


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client, user, db):
    known = ask(client, "ada@example.com")
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = ask(client, "nobody@example.com")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    assert known.get_data() == unknown.get_data()
    assert known_page == unknown_page
    assert "If an account exists for that address, we&#39;ve sent a link" in known_page
    assert "it works for one hour" in known_page
    assert len(emails_to(db, "ada@example.com")) == 1
    assert emails_to(db, "nobody@example.com") == []


def test_both_answers_leave_no_sooner_than_the_floor(app, client, user, db):
    """The floor is longer than queuing the email takes, so known and unknown addresses take
    the same time (here a tenth of a second, in production a quarter)."""
    app.config["PASSWORD_RESET_ANSWER_SECONDS"] = 0.1
    timings = {}
    for address in ("ada@example.com", "nobody@example.com"):
        started = time.monotonic()
        assert ask(client, address).status_code == 302
        timings[address] = time.monotonic() - started

    assert all(0.1 <= seconds < 0.5 for seconds in timings.values()), timings
    assert len(emails_to(db, "ada@example.com")) == 1


def test_the_email_is_queued_private_with_a_link_to_this_site(client, user, db):
    ask(client, "  ADA@example.com ")

    (email,) = emails_to(db, "ada@example.com")
    assert email.private is True and email.team_id == user.team_id
    assert email.to_name == "Ada Lovelace"
    assert "within the hour" in email.body
    assert LINK.search(email.body).group(0).startswith("http://localhost/password/reset/")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.password_reset_requested")
    )
    assert event.subject_id == user.id and event.actor_id is None


def test_the_link_is_made_from_app_url_not_from_the_host_header(app, client, user, db, monkeypatch):
    monkeypatch.setitem(app.config, "APP_URL", "https://hire.acme.example/")

    client.post("/password/forgot", data={"email": user.email}, headers={"Host": "evil.example"})

    (email,) = emails_to(db, user.email)
    assert "https://hire.acme.example/password/reset/" in email.body
    assert "evil.example" not in email.body


def test_a_deactivated_user_gets_no_email_and_the_same_answer(client, db):
    factories.UserFactory(email="gone@example.com", active=False)

    response = ask(client, "gone@example.com")

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert emails_to(db, "gone@example.com") == []


def test_the_link_sets_a_new_password_and_ends_every_session(app, client, user, db):
    laptop = app.test_client()
    sign_in(laptop, user)
    copied = session_cookie(laptop)
    ask(client, user.email)
    link = reset_link(db, user.email)

    page = client.get(link)
    assert page.status_code == 200 and "Choose a new password" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    response = choose(client, link)

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Sign in with the new password" in client.get("/login").get_data(as_text=True)
    assert laptop.get("/account").status_code == 302
    assert replay(app, copied).status_code == 302
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_reset"))
    assert event.actor_id == user.id and event.data == {"sessions_ended": 1}


def test_the_link_works_once(client, user, db):
    ask(client, user.email)
    link = reset_link(db, user.email)
    choose(client, link)

    again = client.get(link)
    posted = choose(client, link, new="another fine password here")

    assert again.status_code == posted.status_code == 404
    assert "Ask for a new link" in again.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(NEW)


def test_the_link_dies_after_one_hour(client, user, db):
    ask(client, user.email)
    link = reset_link(db, user.email)

    with time_machine.travel(utcnow() + timedelta(minutes=59)):
        assert client.get(link).status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        assert client.get(link).status_code == 404
        assert choose(client, link).status_code == 404


def test_the_link_dies_once_the_password_changed_otherwise(client, auth, user, db):
    ask(client, user.email)
    link = reset_link(db, user.email)
    auth.login(user=user)
    client.post("/account/password", data={"current": PASSWORD, "password": NEW, "repeat": NEW})

    assert client.get(link).status_code == 404


def test_the_link_of_a_user_deactivated_since_opens_nothing(client, user, db):
    ask(client, user.email)
    link = reset_link(db, user.email)
    user.active = False
    db.session.flush()

    assert client.get(link).status_code == 404


def test_a_weak_or_mistyped_new_password_is_refused_on_the_form(client, user, db):
    ask(client, user.email)
    link = reset_link(db, user.email)

    weak = choose(client, link, new="ada lovelace").get_data(as_text=True)
    mistyped = choose(client, link, repeat="something else").get_data(as_text=True)

    assert "at least 12 characters" in weak or "too easy to guess" in weak
    assert "The two passwords differ" in mistyped
    assert client.get(link).status_code == 200  # not used up


@pytest.mark.parametrize(
    "token",
    ["forged", "a" * 300, "eyJ.bad.token", "%E2%9C%93"],
)
def test_a_forged_link_gets_the_kind_page(client, db, token):
    response = client.get(f"/password/reset/{token}")

    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "payload",
    [
        ["1", "x"],
        [2**63, "x"],
        [True, "x"],
        [1],
        {"id": 1},
        None,
        [1, ["x"]],
        [1, "\u00e9"],
    ],
)
def test_tokens_signed_with_the_key_but_holding_odd_payloads_open_nothing(
    app, client, user, db, payload
):
    token = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=password_changes.RESET_SALT
    ).dumps(payload)

    assert client.get(f"/password/reset/{token}").status_code == 404


def test_a_token_of_another_purpose_opens_nothing(app, client, user, db):
    """The portal's links are signed with the same key: the salt keeps them apart."""
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="interviewer.portal-link").dumps(
        [user.id, "x"]
    )

    assert client.get(f"/password/reset/{token}").status_code == 404


def test_requests_are_limited_per_email_whoever_asks(app, client, user, db):
    for number in range(5):
        other = app.test_client()
        response = other.post(
            "/password/forgot",
            data={"email": user.email},
            environ_base={"REMOTE_ADDR": f"10.0.0.{number}"},
        )
        assert response.status_code == 302

    refused = client.post(
        "/password/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": "10.0.1.1"}
    )
    assert refused.status_code == 429
    assert len(emails_to(db, user.email)) == 5
    # An unknown address is limited alike, so the limit tells nothing either.
    for _ in range(5):
        ask(client, "nobody@example.com")
    assert ask(client, "nobody@example.com").status_code == 429


def test_requests_are_limited_per_address(client, db):
    for number in range(20):
        assert ask(client, f"person{number}@example.com").status_code == 302

    assert ask(client, "one-more@example.com").status_code == 429


def test_the_outbox_page_hides_a_private_body(client, auth, user, db):
    admin = auth.login(Role.ADMIN, team=user.team)
    ask(client, user.email)
    (email,) = emails_to(db, user.email)
    token = LINK.search(email.body).group(1)
    visible = OutboxEmail(
        team=admin.team, to_email="cole@example.com", subject="Lunch", body="See you on Tuesday"
    )
    db.session.add(visible)

    page = client.get(f"/admin/outbox/{email.id}").get_data(as_text=True)
    other = client.get(f"/admin/outbox/{visible.id}").get_data(as_text=True)

    assert "(the body holds a private sign-in link and is not shown)" in page
    assert token not in page and "/password/reset/" not in page
    assert "See you on Tuesday" in other
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 2
