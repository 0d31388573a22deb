"""``flask set-password``: an admin locked out gets a new password from the command line,
under the same rules, and every session of theirs ends."""

from __future__ import annotations

from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from tests import factories
from tests.test_user_sessions import replay, session_cookie, sign_in

NEW = "plum violin orbit kettle"


def set_password(runner, email, password=NEW, confirmation=None):
    return runner.invoke(
        args=["set-password", email], input=f"{password}\n{confirmation or password}\n"
    )


def test_the_new_password_signs_in_and_old_sessions_end(app, runner, client, db):
    admin = factories.UserFactory(role=Role.ADMIN, email="root@example.com")
    laptop = app.test_client()
    sign_in(laptop, admin)
    copied = session_cookie(laptop)

    result = set_password(runner, " ROOT@example.com")

    assert result.exit_code == 0, result.output
    assert "Set a new password for root@example.com; 1 sessions ended." in result.output
    assert replay(app, copied).status_code == 302
    response = client.post("/login", data={"email": "root@example.com", "password": NEW})
    assert response.status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.password_reset"))
    assert event.actor_id is None and event.subject_id == admin.id


def test_a_weak_password_is_refused_with_a_failing_exit_code(runner, db):
    user = factories.UserFactory(email="root@example.com")
    before = user.password_hash

    result = set_password(runner, "root@example.com", password="aaaaaaaaaaaa")

    assert result.exit_code != 0
    assert "too easy to guess" in result.output
    db.session.refresh(user)
    assert user.password_hash == before


def test_an_unknown_email_is_said_so(runner, db):
    result = set_password(runner, "nobody@example.com")

    assert result.exit_code != 0
    assert "there is no user with email nobody@example.com" in result.output


def test_a_deactivated_account_gets_the_password_and_a_warning(runner, db):
    factories.UserFactory(email="gone@example.com", active=False)

    result = set_password(runner, "gone@example.com")

    assert result.exit_code == 0, result.output
    assert "cannot sign in until an admin reactivates it" in result.output
