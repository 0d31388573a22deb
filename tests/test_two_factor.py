"""Two-factor sign-in: TOTP codes with a known secret on a frozen clock, recovery codes, the
code step of signing in, setting it up and turning it off, and the team's requirement."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth import totp
from interviewer.auth.models import RecoveryCode, Role, UserSession
from tests import factories
from tests.conftest import PASSWORD
from tests.two_factor_support import NOW, SECRET, code, turn_on

WRONG_CODE = "That code is not right, or it was used already."


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_in(client, email: str, password: str = PASSWORD, **data):
    return client.post("/login", data={"email": email, "password": password, **data})


def send_code(client, value: str, next_path: str = ""):
    return client.post("/login/two-factor", data={"code": value, "next": next_path})


def is_signed_in(client) -> bool:
    return client.get("/my-interviews").status_code == 200


def actions(db, user) -> list[tuple[str, dict]]:
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "user_account", AuditEvent.subject_id == user.id)
        .order_by(AuditEvent.id)
    )
    return [(event.action, event.data) for event in events]


def changes(db, user) -> list[str]:
    """The actions of ``user``'s audit events, but signing in."""
    return [action for action, _ in actions(db, user) if action != "user.signed_in"]


# --- codes ----------------------------------------------------------------------------------


def test_the_current_code_is_accepted_once_and_never_again(db, frozen):
    user = turn_on(factories.UserFactory())

    assert totp.use_code(db.session, user, code())
    assert not totp.use_code(db.session, user, code()), "a replayed code must be refused"


def test_a_code_of_the_step_before_is_accepted_for_a_drifting_phone(db, frozen):
    user = turn_on(factories.UserFactory())

    assert totp.use_code(db.session, user, code(steps=-1))
    assert totp.use_code(db.session, user, code(steps=1))


def test_an_older_code_or_a_wrong_one_is_refused(db, frozen):
    user = turn_on(factories.UserFactory())

    assert not totp.use_code(db.session, user, code(steps=-2))
    assert not totp.use_code(db.session, user, code(steps=3))
    wrong = f"{(int(code()) + 1) % 1_000_000:06d}"
    assert not totp.use_code(db.session, user, wrong)
    assert not totp.use_code(db.session, user, "")
    assert not totp.use_code(db.session, user, "12345x")


def test_after_a_code_is_used_the_code_of_an_earlier_step_is_refused(db, frozen):
    user = turn_on(factories.UserFactory())
    assert totp.use_code(db.session, user, code())

    assert not totp.use_code(db.session, user, code(steps=-1))
    frozen.shift(timedelta(seconds=30))
    assert totp.use_code(db.session, user, code()), "the next step's code is new"


def test_a_recovery_code_signs_in_once(db):
    user = turn_on(factories.UserFactory())
    codes = totp.new_recovery_codes(db.session, user)

    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9a-z]{4}(-[0-9a-z]{4}){3}", item) for item in codes)
    typed = codes[3].upper().replace("-", " ")
    assert totp.use_recovery_code(db.session, user, typed)
    assert not totp.use_recovery_code(db.session, user, codes[3])
    assert totp.recovery_codes_left(db.session, user) == 9


def test_only_hashes_of_recovery_codes_are_kept(db):
    user = turn_on(factories.UserFactory())
    codes = totp.new_recovery_codes(db.session, user)

    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not set(codes) & set(stored)
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in stored)


def test_new_recovery_codes_replace_the_old_ones(db):
    user = turn_on(factories.UserFactory())
    old = totp.new_recovery_codes(db.session, user)
    totp.new_recovery_codes(db.session, user)

    assert not totp.use_recovery_code(db.session, user, old[0])


# --- signing in -----------------------------------------------------------------------------


def test_the_right_password_asks_for_the_code_before_signing_in(client, db, frozen):
    user = turn_on(factories.UserFactory())

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/two-factor")
    assert not is_signed_in(client)
    page = client.get("/login/two-factor").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page

    response = send_code(client, code())

    assert response.status_code == 302
    assert is_signed_in(client)
    assert [action for action, _ in actions(db, user)] == ["user.signed_in"]


def test_a_wrong_code_is_refused_with_a_message_and_noted(client, db, frozen):
    user = turn_on(factories.UserFactory())
    sign_in(client, user.email)

    response = send_code(client, "000000" if code() != "000000" else "111111")

    assert response.status_code == 401
    assert WRONG_CODE in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert actions(db, user) == [
        ("user.sign_in_failed", {"reason": "two_factor", "ip": "127.0.0.1"})
    ]


def test_a_code_used_to_sign_in_cannot_sign_in_again(app, client, db, frozen):
    user = turn_on(factories.UserFactory())
    used = code()
    sign_in(client, user.email)
    assert send_code(client, used).status_code == 302

    other = app.test_client()
    sign_in(other, user.email)
    assert send_code(other, used).status_code == 401
    assert not is_signed_in(other)


def test_a_recovery_code_signs_in_instead_of_the_app_once(app, client, db, frozen):
    user = turn_on(factories.UserFactory())
    recovery = totp.new_recovery_codes(db.session, user)[0]
    sign_in(client, user.email)
    assert send_code(client, recovery).status_code == 302
    assert is_signed_in(client)

    other = app.test_client()
    sign_in(other, user.email)
    assert send_code(other, recovery).status_code == 401


def test_the_code_step_keeps_where_to_go_and_keep_me_signed_in(client, db, frozen):
    user = turn_on(factories.UserFactory(role=Role.HIRING_MANAGER))
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "remember": "y", "next": "/jobs"},
    )
    step = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/jobs"' in step

    response = send_code(client, code(), "/jobs")

    assert response.headers["Location"] == "/jobs"
    assert db.session.scalar(select(UserSession.remember).where(UserSession.user_id == user.id))


def test_the_code_step_does_not_go_to_another_site(client, db, frozen):
    user = turn_on(factories.UserFactory())
    sign_in(client, user.email)

    response = send_code(client, code(), "//evil.example/")

    assert response.headers["Location"] == "/"


def test_the_code_step_ends_after_five_minutes(client, db, frozen):
    user = turn_on(factories.UserFactory())
    sign_in(client, user.email)
    frozen.shift(timedelta(minutes=5, seconds=1))

    response = send_code(client, code())

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert not is_signed_in(client)


def test_a_user_without_two_factor_signs_in_with_the_password_alone(client, db):
    user = factories.UserFactory()

    assert sign_in(client, user.email).headers["Location"] == "/"
    assert is_signed_in(client)
    assert [action for action, _ in actions(db, user)] == ["user.signed_in"]


def test_the_code_step_without_a_password_sends_to_the_sign_in_form(client, db):
    for response in (client.get("/login/two-factor"), send_code(client, "123456")):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def _answers(app, client) -> dict[str, tuple[int, str]]:
    """Status and redirect of every GET route without arguments."""
    paths = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and "static" not in rule.endpoint
    ]
    answers = {}
    for path in sorted(paths):
        response = client.get(path)
        answers[path] = (response.status_code, response.headers.get("Location", ""))
    return answers


def test_the_pending_code_step_opens_no_page(app, client, db, frozen):
    """Between the password and the code, every page answers as to someone not signed in."""
    user = turn_on(factories.UserFactory(role=Role.ADMIN))
    stranger = _answers(app, app.test_client())
    sign_in(client, user.email)

    pending = _answers(app, client)

    differing = {
        path: (stranger[path], answer)
        for path, answer in pending.items()
        if answer != stranger[path] and path != "/login/two-factor"
    }
    assert not differing
    assert pending["/account"][1].startswith("/login")
    assert pending["/login/two-factor"][0] == 200


# --- setting it up --------------------------------------------------------------------------


def test_turning_it_on_shows_a_qr_code_the_key_then_recovery_codes_once(client, auth, db, frozen):
    user = auth.login(Role.INTERVIEWER)
    account = client.get("/account").get_data(as_text=True)
    assert "Turn on two-factor sign-in" in account

    assert client.post("/account/two-factor/start").status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = user.totp_secret
    assert re.search(r"<svg[^>]*class=\"totp-qr\"", page)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert not user.has_two_factor, "nothing changes before a code confirms it"

    response = client.post("/account/two-factor/confirm", data={"code": code(secret)})

    assert response.status_code == 200
    shown = re.findall(r"\b[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}\b", response.text)
    assert len(set(shown)) == 10
    assert "only time they are shown" in response.text
    assert user.has_two_factor
    assert changes(db, user) == ["user.two_factor_enabled"]
    manage = client.get("/account/two-factor").get_data(as_text=True)
    assert secret[:8] not in manage.replace(" ", "")
    assert "10 of 10 recovery codes left" in manage
    assert not set(shown) & set(re.findall(r"[0-9a-z]{4}-[0-9a-z]{4}-\S+", manage))


def test_a_wrong_code_does_not_turn_it_on(client, auth, db, frozen):
    user = auth.login(Role.INTERVIEWER)
    client.post("/account/two-factor/start")

    response = client.post("/account/two-factor/confirm", data={"code": "12345"})

    assert response.status_code == 401
    assert WRONG_CODE in response.text
    assert not user.has_two_factor
    assert "<svg" in response.text, "the QR code is still there to scan"


def test_turning_it_off_asks_the_password_or_a_code(client, auth, db, frozen):
    user = auth.login(Role.INTERVIEWER)
    turn_on(user)
    totp.new_recovery_codes(db.session, user)

    refused = client.post("/account/two-factor/disable", data={"proof": "not my password"})
    assert refused.status_code == 401
    assert "neither your password nor a current code" in refused.text
    assert user.has_two_factor

    response = client.post("/account/two-factor/disable", data={"proof": PASSWORD})

    assert response.status_code == 302
    assert not user.has_two_factor
    assert user.totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert changes(db, user) == ["user.two_factor_disabled"]


def test_a_current_code_turns_it_off_too(client, auth, db, frozen):
    user = auth.login(Role.INTERVIEWER)
    turn_on(user)

    client.post("/account/two-factor/disable", data={"proof": code()})

    assert not user.has_two_factor


def test_new_recovery_codes_need_a_current_code(client, auth, db, frozen):
    user = auth.login(Role.INTERVIEWER)
    turn_on(user)
    old = totp.new_recovery_codes(db.session, user)

    assert (
        client.post("/account/two-factor/recovery-codes", data={"code": "999999"}).status_code
        == 401
    )
    response = client.post("/account/two-factor/recovery-codes", data={"code": code()})

    assert response.status_code == 200
    assert "only time they are shown" in response.text
    assert not totp.use_recovery_code(db.session, user, old[0])
    assert changes(db, user) == ["user.recovery_codes_regenerated"]


# --- the team's requirement -----------------------------------------------------------------


def test_a_manager_without_it_is_sent_to_set_it_up_when_the_team_requires_it(client, auth, db):
    user = auth.login(Role.HIRING_MANAGER)
    user.team.two_factor_required = True

    response = client.get("/jobs", follow_redirects=True)

    assert response.request.path == "/account/two-factor"
    assert "Your team requires two-factor sign-in" in response.text
    assert client.get("/account").status_code == 200
    assert client.post("/account/two-factor/start").status_code == 302
    assert client.get("/account/two-factor").status_code == 200
    assert client.get("/healthz").status_code == 200, "probes are not pages to set up for"
    careers = client.get(f"/careers/{user.team.slug}")
    assert careers.status_code == 200, "the public pages read as anyone's"
    assert client.post("/logout").headers["Location"] == "/login"


def test_an_interviewer_is_not_sent_to_set_it_up(client, auth, db):
    user = auth.login(Role.INTERVIEWER)
    user.team.two_factor_required = True

    assert client.get("/my-interviews").status_code == 200


def test_a_manager_with_it_goes_anywhere_and_cannot_turn_it_off(client, auth, db, frozen):
    user = auth.login(Role.ADMIN)
    turn_on(user)
    user.team.two_factor_required = True

    assert client.get("/jobs").status_code == 200
    response = client.post("/account/two-factor/disable", data={"proof": PASSWORD})
    assert response.status_code == 403
    assert user.has_two_factor


def test_an_admin_requires_it_of_the_team(client, auth, db):
    admin = auth.login(Role.ADMIN)
    turn_on(admin)
    assert "does not require" in client.get("/account").text

    response = client.post("/team/two-factor", data={"required": "y"}, follow_redirects=True)

    assert response.request.path == "/team/two-factor"
    assert "now required of admins and hiring managers" in response.text
    assert admin.team.two_factor_required
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.subject_type == "team"))
    assert event.action == "team.two_factor_required"

    client.post("/team/two-factor", data={})
    assert not admin.team.two_factor_required


def test_only_admins_change_the_team_setting(client, auth, db):
    auth.login(Role.HIRING_MANAGER)

    assert client.get("/team/two-factor").status_code == 403
    assert client.post("/team/two-factor", data={"required": "y"}).status_code == 403


def test_the_known_secret_gives_the_codes_an_app_shows():
    # RFC 6238's own test: the app and the server agree on the code for a moment.
    assert code(SECRET, at=NOW) == code(SECRET, at=NOW + timedelta(seconds=14))
