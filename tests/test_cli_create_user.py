"""``flask create-user``: a first account from the command line."""

from __future__ import annotations

from sqlalchemy import func, select

from interviewer.auth.models import Role, Team, User
from interviewer.plans.models import StageType
from tests import factories

PASSWORD = "a long enough password"
ARGS = ["create-user", "--team", "acme", "--role", "hiring_manager", "--email", "x@y.z"]


def create_user(runner, args=ARGS, password=PASSWORD, confirmation=None):
    """Run the command, typing the password and its confirmation at the prompt."""
    return runner.invoke(args=args, input=f"{password}\n{confirmation or password}\n")


def test_created_user_can_sign_in(runner, client, db):
    result = create_user(runner)

    assert result.exit_code == 0, result.output
    assert "Created hiring_manager x@y.z in team acme." in result.output
    user = db.session.scalar(select(User).where(User.email == "x@y.z"))
    assert user.role is Role.HIRING_MANAGER
    assert user.team.slug == "acme"
    response = client.post("/login", data={"email": "x@y.z", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_a_new_team_gets_the_builtin_stage_types(runner, db):
    result = create_user(runner)

    assert result.exit_code == 0, result.output
    assert "Created team Acme (acme)." in result.output
    team = db.session.scalar(select(Team).where(Team.slug == "acme"))
    keys = set(db.session.scalars(select(StageType.key).where(StageType.team_id == team.id)))
    assert {"screen", "live_coding", "system_design", "final"} <= keys


def test_an_existing_team_is_reused(runner, db):
    team = factories.TeamFactory(slug="acme", name="Acme Corp")

    result = create_user(runner)

    assert result.exit_code == 0, result.output
    assert "Created team" not in result.output
    user = db.session.scalar(select(User).where(User.email == "x@y.z"))
    assert user.team_id == team.id
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1


def test_duplicate_email_gives_a_clear_error_and_a_failing_exit_code(runner, db):
    factories.UserFactory(email="x@y.z")

    result = create_user(runner, args=[*ARGS[:-1], "X@Y.Z"])

    assert result.exit_code != 0
    assert "x@y.z already has an account." in result.output
    assert db.session.scalar(select(func.count()).where(User.email == "x@y.z")) == 1


def test_short_password_is_refused(runner, db):
    result = create_user(runner, password="short")

    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(User).where(User.email == "x@y.z")) is None


def test_mismatched_confirmation_asks_again(runner, db):
    result = create_user(runner, confirmation="something else")

    # The prompt repeats and then runs out of input: nothing is created.
    assert result.exit_code != 0
    assert "do not match" in result.output.lower() or "don't match" in result.output.lower()
    assert db.session.scalar(select(User).where(User.email == "x@y.z")) is None


def test_unknown_role_is_refused(runner, db):
    result = runner.invoke(
        args=["create-user", "--team", "acme", "--role", "owner", "--email", "x@y.z"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )

    assert result.exit_code == 2
    assert "'owner' is not one of" in result.output


def test_an_address_the_sign_in_form_would_refuse_is_refused(runner, db):
    result = create_user(runner, args=[*ARGS[:-1], "not-an-email"])

    assert result.exit_code != 0
    assert "not-an-email is not a valid email address" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
