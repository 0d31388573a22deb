"""Server-side sessions: a cookie copied before sign-out, "Sign out everywhere", a
deactivation or the end of the session's time opens nothing afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from interviewer import worker
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, UserSession
from interviewer.db import utcnow
from tests import factories
from tests.conftest import PASSWORD
from tests.test_worker import tick

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str, path: str = "/account"):
    """Open ``path`` from a fresh browser holding only the copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get(path)


def sign_in(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return response


def test_the_copied_cookie_opens_pages_until_sign_out_then_never(app, client, db):
    user = factories.UserFactory(role=Role.HIRING_MANAGER)
    sign_in(client, user)
    copied = session_cookie(client)
    assert replay(app, copied).status_code == 200

    client.post("/logout")

    response = replay(app, copied)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_kept_session_is_refused_after_sign_out_too(app, client, db):
    user = factories.UserFactory()
    response = sign_in(client, user, remember=True)
    assert "Expires=" in response.headers["Set-Cookie"]
    assert "remember_token" not in str(response.headers.getlist("Set-Cookie"))
    copied = session_cookie(client)

    client.post("/logout")

    assert replay(app, copied).status_code == 302


def test_sign_out_everywhere_ends_every_browser(app, client, db):
    user = factories.UserFactory()
    phone = app.test_client()
    sign_in(phone, user)
    sign_in(client, user)

    page = client.get("/account")
    assert b"Sign out everywhere" in page.data
    assert page.data.count(b"list-group-item") == 2

    response = client.post("/account/sign-out-everywhere")

    assert response.headers["Location"].endswith("/login")
    assert phone.get("/account").status_code == 302
    assert client.get("/account").status_code == 302
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.signed_out_everywhere")
    )
    assert event.actor_id == user.id and event.data == {"sessions": 2}


def test_a_deactivated_user_is_signed_out_at_once(app, client, db):
    user = factories.UserFactory()
    sign_in(client, user)
    copied = session_cookie(client)

    user.active = False
    db.session.commit()

    assert replay(app, copied).status_code == 302


def test_an_idle_session_ends_and_a_kept_one_does_not(app, client, db):
    user = factories.UserFactory()
    kept = app.test_client()
    sign_in(kept, user, remember=True)
    sign_in(client, user)
    idle = app.config["SESSION_IDLE_MINUTES"]

    with time_machine.travel(utcnow() + timedelta(minutes=idle - 1)):
        assert client.get("/account").status_code == 200
    # The visit moved the idle clock on: the session lives idle minutes from it.
    with time_machine.travel(utcnow() + timedelta(minutes=2 * idle - 3)):
        assert client.get("/account").status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=3 * idle)):
        assert client.get("/account").status_code == 302
        assert kept.get("/account").status_code == 200


def test_a_session_ends_at_its_absolute_lifetime_however_active(app, client, db):
    user = factories.UserFactory()
    sign_in(client, user)
    hours = app.config["SESSION_MAX_HOURS"]
    step = app.config["SESSION_IDLE_MINUTES"] // 2
    start = utcnow()
    for minutes in range(step, hours * 60, step):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert client.get("/account").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=hours, minutes=1)):
        assert client.get("/account").status_code == 302


def test_a_kept_session_ends_after_remember_days(app, client, db):
    user = factories.UserFactory()
    sign_in(client, user, remember=True)
    days = app.config["REMEMBER_DAYS"]
    with time_machine.travel(utcnow() + timedelta(days=days - 1)):
        assert client.get("/account").status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=days, minutes=1)):
        assert client.get("/account").status_code == 302


def test_a_cookie_of_another_users_session_opens_nothing(app, client, db):
    """The row must be the user's: the session secret of one user with another's id is nobody."""
    victim = factories.UserFactory()
    attacker = factories.UserFactory()
    sign_in(client, attacker)
    with client.session_transaction() as session:
        session["_user_id"] = str(victim.id)
    assert client.get("/account").status_code == 302


def test_sign_in_records_a_session_row_with_its_browser(app, client, db):
    user = factories.UserFactory()
    client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"User-Agent": FIREFOX},
    )
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.user_agent == FIREFOX and row.revoked_at is None
    page = client.get("/account", headers={"User-Agent": FIREFOX})
    assert "Firefox on Windows" in page.get_data(as_text=True)
    with client.session_transaction() as session:
        # The cookie holds the secret, the table only its hash.
        assert session["sid"] != row.token_hash and len(row.token_hash) == 64


def test_an_old_hash_is_upgraded_at_sign_in(app, client, db):
    user = factories.UserFactory(password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha1:10"))
    sign_in(client, user)
    db.session.refresh(user)
    assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    client.post("/logout")
    sign_in(client, user)


def test_the_worker_deletes_sessions_that_ended_over_a_week_ago_at_four_utc(app, db):
    night = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)
    user = factories.UserFactory()

    def row(name, expires, revoked=None):
        found = UserSession(
            user=user,
            token_hash=name * 64,
            expires_at=night + expires,
            revoked_at=None if revoked is None else night + revoked,
        )
        db.session.add(found)
        return found

    row("a", timedelta(hours=2))  # live
    row("b", -timedelta(days=3))  # ended three days ago: kept a while
    row("c", -timedelta(days=8))  # ended eight days ago
    row("d", timedelta(days=5), revoked=-timedelta(days=10))  # signed out ten days ago
    db.session.commit()
    huey = worker.get_huey(app)
    day = [datetime(2026, 12, 3, hour, minute) for hour in range(24) for minute in range(60)]

    runs = [m for m in day if "purge_sessions" in {t.name for t in huey.read_periodic(m)}]
    with time_machine.travel(night, tick=False):
        tick(huey, night)

    db.session.expire_all()
    assert runs == [datetime(2026, 12, 3, 4, 0)]
    assert sorted(s.token_hash[0] for s in db.session.scalars(select(UserSession))) == ["a", "b"]
