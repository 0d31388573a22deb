"""Limits on failed sign-ins: per account from any address, per address (higher) for every
account behind it, refused codes counted with wrong passwords, the answer saying when to retry,
counters in Redis when configured."""

from __future__ import annotations

import os
import re
import uuid
from contextlib import contextmanager

import pytest
import time_machine
from sqlalchemy import select

from interviewer import create_app
from interviewer.audit.models import AuditEvent
from interviewer.extensions import db as _db
from interviewer.extensions import limiter
from tests import factories
from tests.conftest import PASSWORD, require_service
from tests.two_factor_support import NOW, code, turn_on

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
WRONG = "not the password"


def address(number: int) -> dict:
    return {"REMOTE_ADDR": f"198.51.100.{number}"}


def sign_in(client, email: str, password: str = PASSWORD, number: int = 1):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base=address(number)
    )


def is_signed_in(client) -> bool:
    return client.get("/my-interviews").status_code == 200


def retry_minutes(response) -> int:
    found = re.search(r"Try again in (\d+) minutes?\.", response.get_data(as_text=True))
    assert found, "the answer does not say when to try again"
    return int(found.group(1))


def test_one_account_attacked_from_many_addresses_is_refused_after_five_failures(app, db):
    target, colleague = factories.UserFactory(), factories.UserFactory()
    client = app.test_client()

    failures = [sign_in(client, target.email, WRONG, number).status_code for number in range(5)]
    refused = sign_in(client, target.email, WRONG, number=6)

    assert failures == [401] * 5
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert 1 <= retry_minutes(refused) <= 15
    assert "for this account" in refused.text
    assert f'value="{target.email}"' in refused.text, "the form keeps the email"
    # Another account behind the same addresses signs in.
    for number in range(3):
        assert sign_in(app.test_client(), colleague.email, number=number).status_code == 302


def test_the_right_password_of_a_throttled_account_is_refused_alike(app, db):
    target = factories.UserFactory()
    client = app.test_client()
    for number in range(5):
        sign_in(client, target.email, WRONG, number)

    wrong = sign_in(client, target.email, WRONG, number=20)
    right = sign_in(client, target.email, number=21)

    assert (right.status_code, wrong.status_code) == (429, 429)
    assert right.text == wrong.text, "the answer must not tell the password was right"
    assert not is_signed_in(client)


def test_the_account_signs_in_again_once_the_window_is_over(app, db):
    target = factories.UserFactory()
    client = app.test_client()
    with time_machine.travel(NOW, tick=False) as clock:
        for number in range(5):
            sign_in(client, target.email, WRONG, number)
        assert sign_in(client, target.email).status_code == 429
        clock.shift(15 * 60 + 1)
        assert sign_in(client, target.email).status_code == 302


def test_many_accounts_from_one_address_are_limited_at_the_higher_limit(app, db):
    users = [factories.UserFactory() for _ in range(13)]
    client = app.test_client()

    statuses = [sign_in(client, users[n % 13].email, WRONG).status_code for n in range(50)]
    refused = sign_in(client, users[0].email)

    assert statuses == [401] * 50, "each account has at most 4 failures: under its own limit"
    assert refused.status_code == 429
    assert "from your network" in refused.text
    assert sign_in(app.test_client(), users[0].email, number=99).status_code == 302


def test_successful_sign_ins_do_not_count(app, db):
    user = factories.UserFactory()
    client = app.test_client()
    for _ in range(4):
        sign_in(client, user.email, WRONG)
    for _ in range(5):
        assert sign_in(client, user.email).status_code == 302
        client.post("/logout")

    assert sign_in(client, user.email, WRONG).status_code == 401
    assert sign_in(client, user.email, WRONG).status_code == 429


def test_wrong_codes_count_against_the_account(app, db):
    user = turn_on(factories.UserFactory())
    with time_machine.travel(NOW, tick=False):
        wrong_code = "000000" if code() != "000000" else "111111"
        for number in range(3):
            sign_in(app.test_client(), user.email, WRONG, number)
        client = app.test_client()
        assert sign_in(client, user.email, number=10).status_code == 302
        codes = [
            client.post("/login/two-factor", data={"code": wrong_code}).status_code
            for _ in range(2)
        ]
        refused = client.post("/login/two-factor", data={"code": code()})

    assert codes == [401, 401]
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "for this account" in refused.text
    assert not is_signed_in(client)
    # The right password from yet another address is refused too now.
    assert sign_in(app.test_client(), user.email, number=11).status_code == 429


def test_refused_and_throttled_sign_ins_of_an_account_are_noted_with_the_address(app, db):
    user = factories.UserFactory()
    client = app.test_client()
    for number in range(6):
        sign_in(client, user.email, WRONG, number)
    sign_in(client, "nobody@example.com", WRONG)

    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()

    assert [(event.action, event.subject_id) for event in events] == [
        ("user.sign_in_failed", user.id)
    ] * 6
    assert [event.data["reason"] for event in events] == ["password"] * 5 + ["throttled"]
    assert [event.data["ip"] for event in events] == [f"198.51.100.{n}" for n in range(6)]
    assert {event.team_id for event in events} == {user.team_id}


def test_a_signed_in_person_guessing_codes_on_the_account_page_is_limited(app, client, auth, db):
    user = auth.login()
    turn_on(user)
    statuses = [
        client.post("/account/two-factor/disable", data={"proof": WRONG}).status_code
        for _ in range(6)
    ]

    assert statuses == [401] * 5 + [429]
    assert re.search(
        r"Try again in \d+ minutes?\.",
        client.post("/account/two-factor/recovery-codes", data={"code": "123456"}).text,
    )


@pytest.mark.parametrize("setting", ["LOGIN_RATE_LIMIT", "ACCOUNT_LOGIN_RATE_LIMIT"])
def test_the_limits_are_settings(app, db, monkeypatch, setting):
    monkeypatch.setitem(app.config, setting, "2 per hour")
    user = factories.UserFactory()
    client = app.test_client()

    statuses = [sign_in(client, user.email, WRONG).status_code for _ in range(3)]

    assert statuses == [401, 401, 429]
    assert 55 <= retry_minutes(sign_in(client, user.email)) <= 60


# --- Redis ----------------------------------------------------------------------------------


def _redis_reachable(url: str) -> tuple[bool, str]:
    try:
        import redis
    except ImportError:
        return False, "the redis package is not installed (pip install -e '.[redis]')"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        return False, f"{url}: {error}"
    return True, ""


@contextmanager
def app_with_redis_limits(app, key_prefix: str):
    """A second app on the same database whose rate limits live in Redis.

    The limiter is one object shared by every app, so the test app's memory storage is
    put back afterwards.
    """
    redis_app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=key_prefix,
    )
    try:
        yield redis_app
    finally:
        with redis_app.app_context():
            _db.engine.dispose()
        limiter.init_app(app)
        limiter.reset()


def test_the_limits_hold_with_redis_storage(app, db):
    reachable, reason = _redis_reachable(REDIS_URL)
    require_service("Redis", reachable, reason)
    import redis

    # Counters of this run only, whoever else uses the same Redis.
    key_prefix = f"interviewer-test-{uuid.uuid4().hex}"
    store = redis.Redis.from_url(REDIS_URL)
    target, colleague = factories.UserFactory(), factories.UserFactory()
    try:
        with app_with_redis_limits(app, key_prefix) as redis_app:
            client = redis_app.test_client()

            assert [sign_in(client, target.email, WRONG, n).status_code for n in range(4)] == [
                401
            ] * 4
            assert sign_in(client, target.email, number=30).status_code == 302
            client.post("/logout")
            assert sign_in(client, target.email, WRONG, number=31).status_code == 401
            assert list(store.scan_iter(f"*{key_prefix}*account*")), "no counter in Redis"

            assert sign_in(client, target.email, number=32).status_code == 429
            assert sign_in(client, colleague.email, number=32).status_code == 302
    finally:
        for key in store.scan_iter(f"*{key_prefix}*"):
            store.delete(key)
        store.close()
