"""Changing one's password: the current one first, the rules for the new one, every other
browser signed out (its copied cookie opens nothing), this one kept; wrong current passwords
are limited per person."""

from __future__ import annotations

from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from tests import factories
from tests.conftest import PASSWORD
from tests.test_user_sessions import replay, session_cookie, sign_in

NEW = "plum violin orbit kettle"


def change(client, current=PASSWORD, new=NEW, repeat=None):
    return client.post(
        "/account/password",
        data={"current": current, "password": new, "repeat": new if repeat is None else repeat},
    )


def test_the_account_page_links_to_the_change_password_page(client, auth, db):
    auth.login(Role.INTERVIEWER)

    page = client.get("/account").get_data(as_text=True)

    assert 'href="/account/password"' in page
    form = client.get("/account/password").get_data(as_text=True)
    assert "Current password" in form and "Repeat the new password" in form


def test_a_wrong_current_password_is_refused_and_nothing_changes(client, auth, db):
    user = auth.login()
    before = user.password_hash

    response = change(client, current="not my password at all")

    assert response.status_code == 200
    assert "This is not your current password" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == before


def test_a_weak_new_password_is_refused_with_advice(client, auth, db):
    user = auth.login()

    response = change(client, new="aaaaaaaaaaaa")

    assert "too easy to guess" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_a_new_password_made_of_the_persons_name_is_refused(client, auth, db):
    # Strong for a stranger, guessable for someone who knows whose account it is.
    auth.login(name="Thadwick Bramblecot", email="thadwick@bramblecot.example")

    response = change(client, new="thadwickbramblecot")

    assert "too easy to guess" in response.get_data(as_text=True)


def test_a_new_password_of_the_whole_name_run_together_is_refused(client, auth, db):
    auth.login(name="Wolfgang Amadeus Mozart", email="wam@example.com")

    response = change(client, new="wolfgangamadeusmozart")

    assert "too easy to guess" in response.get_data(as_text=True)


def test_the_new_password_must_differ_and_be_typed_twice_alike(client, auth, db):
    auth.login()

    same = change(client, new=PASSWORD).get_data(as_text=True)
    differ = change(client, repeat=NEW + "x").get_data(as_text=True)
    short = change(client, new="short").get_data(as_text=True)

    assert "must differ from the current one" in same
    assert "The two passwords differ" in differ
    assert "at least 12 characters" in short


def test_a_change_ends_the_other_sessions_and_keeps_this_one(app, client, db):
    user = factories.UserFactory()
    phone = app.test_client()
    sign_in(phone, user)
    copied = session_cookie(phone)
    sign_in(client, user)

    response = change(client)

    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert "1 other browser was signed out" in page.get_data(as_text=True)
    assert phone.get("/account").status_code == 302
    assert replay(app, copied).status_code == 302
    db.session.refresh(user)
    assert user.check_password(NEW)
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.password_changed")
    )
    assert event.actor_id == user.id and event.subject_id == user.id
    assert event.data == {"sessions_ended": 1}


def test_the_new_password_signs_in_and_the_old_one_does_not(app, client, auth, db):
    user = auth.login()
    change(client)
    auth.logout()

    old = client.post("/login", data={"email": user.email, "password": PASSWORD})
    new = client.post("/login", data={"email": user.email, "password": NEW})

    assert old.status_code == 401
    assert new.status_code == 302


def test_wrong_current_passwords_are_limited_per_person(app, client, auth, db):
    auth.login()
    for _ in range(10):
        assert change(client, current="a wrong guess here").status_code == 200

    assert change(client, current="a wrong guess here").status_code == 429
    # The right one is refused too until the hour is over: the limit is on the person.
    assert change(client).status_code == 429
    other = app.test_client()
    sign_in(other, factories.UserFactory())
    assert change(other, current="a wrong guess here").status_code == 200


def test_mistakes_in_the_new_password_do_not_count_towards_the_limit(client, auth, db):
    auth.login()
    for _ in range(12):
        change(client, new="aaaaaaaaaaaa")

    assert change(client).status_code == 302


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/account/password")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/account/password", data={}).status_code == 302
