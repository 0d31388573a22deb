"""The token pages: a person's own tokens on their account, the team's for admins; the
secret is shown once, lists show each token's use, revoking closes it; all audited."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from interviewer.api import tokens
from interviewer.api.models import ApiToken
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from tests import factories


def _create(client, url="/account/api-tokens", **fields):
    data = {"name": "HRIS sync", "scopes": ["read"], **fields}
    return client.post(url, data=data)


def _events(action: str) -> list[AuditEvent]:
    from interviewer.extensions import db

    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_new_token_is_shown_once_and_then_opens_the_api(client, db, auth):
    auth.login(Role.HIRING_MANAGER)

    response = _create(client, scopes=["read", "write"])

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "shown only this once" in page
    token = db.session.scalar(select(ApiToken))
    secret = page.split('id="secret" type="text" value="')[1].split('"')[0]
    assert secret.startswith(tokens.TOKEN_PREFIX) and secret.startswith(token.prefix)
    assert token.token_hash == tokens.hash_token(secret) and secret not in token.token_hash
    assert token.kind == tokens.PERSONAL and token.scopes == "read write"
    api = client.get("/api/v1/levels", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    # The list shows the token without its secret, with its use.
    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert "HRIS sync" in listing and token.prefix in listing and secret not in listing
    assert "Last used:" in listing and "from 127.0.0.1" in listing
    assert [e.data["name"] for e in _events("user.api_token_created")] == ["HRIS sync"]


def test_form_errors_are_shown_on_the_form_with_the_input_kept(client, db, auth):
    auth.login(Role.HIRING_MANAGER)
    yesterday = (date.today() - timedelta(days=2)).isoformat()

    response = client.post(
        "/account/api-tokens", data={"name": "Kept name", "expires_on": yesterday}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose at least one scope." in page
    assert "Choose a date from today on" in page
    assert 'value="Kept name"' in page
    assert db.session.scalar(select(ApiToken)) is None
    nameless = client.post("/account/api-tokens", data={"scopes": ["read"]})
    assert "Name the token" in nameless.get_data(as_text=True)


def test_an_expiry_date_ends_the_token_after_that_day(client, db, auth):
    user = auth.login(Role.HIRING_MANAGER)
    on = date.today() + timedelta(days=30)

    _create(client, expires_on=on.isoformat())

    token = db.session.scalar(select(ApiToken))
    assert token.expires_at is not None
    assert token.expires_at.date() in {on, on + timedelta(days=1)}
    assert user.id == token.user_id


def test_an_interviewer_chooses_read_and_scorecards_only(client, db, auth):
    auth.login(Role.INTERVIEWER)

    page = client.get("/account/api-tokens").get_data(as_text=True)
    refused = _create(client, scopes=["read", "write"])

    assert 'value="scorecards:write"' in page and 'value="write"' not in page
    assert "change nothing else" in page
    assert "cannot have the write scope" in refused.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None
    assert _create(client, scopes=["read", "scorecards:write"]).status_code == 200


def test_revoking_asks_then_closes_the_token_for_good(client, db, auth):
    user = auth.login(Role.HIRING_MANAGER)
    token, secret = tokens.issue(db.session, user, kind="personal", name="CI", scopes=["read"])
    db.session.commit()

    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Revoke…" in page and "cannot be undone" in page
    response = client.post(f"/account/api-tokens/{token.id}/revoke")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/api-tokens")
    assert token.revoked_at is not None
    api = client.get("/api/v1/levels", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    assert len(_events("user.api_token_revoked")) == 1
    assert "Revoked" in client.get("/account/api-tokens").get_data(as_text=True)


def test_a_colleagues_token_is_403_and_another_teams_404(client, db, auth):
    user = auth.login(Role.HIRING_MANAGER)
    colleague = factories.UserFactory(team=user.team, role=Role.HIRING_MANAGER)
    theirs, _ = tokens.issue(db.session, colleague, kind="personal", name="x", scopes=["read"])
    stranger = factories.UserFactory(role=Role.ADMIN)
    other, _ = tokens.issue(db.session, stranger, kind="team", name="y", scopes=["read"])
    db.session.commit()

    assert client.post(f"/account/api-tokens/{theirs.id}/revoke").status_code == 403
    assert client.post(f"/account/api-tokens/{other.id}/revoke").status_code == 404
    assert theirs.revoked_at is None and other.revoked_at is None
    # Someone else's tokens never appear in the list.
    assert "x" not in [
        t.name for t in tokens.listed(db.session, user.team_id, kind="personal", user_id=user.id)
    ]


def test_admins_make_team_tokens_and_revoke_anyones(client, db, auth):
    admin = auth.login(Role.ADMIN)
    colleague = factories.UserFactory(team=admin.team, role=Role.INTERVIEWER, name="Cleo")
    theirs, _ = tokens.issue(db.session, colleague, kind="personal", name="Cleo's", scopes=["read"])
    db.session.commit()

    created = _create(client, "/team/api-tokens", name="Job board", scopes=["read", "write"])
    assert "Job board" in created.get_data(as_text=True)
    team_token = db.session.scalar(select(ApiToken).where(ApiToken.kind == tokens.TEAM))
    assert team_token.name == "Job board"
    page = client.get("/team/api-tokens").get_data(as_text=True)
    assert "Job board" in page and "Cleo&#39;s" in page and "People's personal tokens" in page

    response = client.post(f"/account/api-tokens/{theirs.id}/revoke")
    assert response.headers["Location"].endswith("/team/api-tokens")
    assert theirs.revoked_at is not None
    assert _events("user.api_token_revoked")[0].actor_id == admin.id


def test_team_tokens_are_for_admins(client, db, auth):
    auth.login(Role.HIRING_MANAGER)

    assert client.get("/team/api-tokens").status_code == 403
    assert _create(client, "/team/api-tokens").status_code == 403


def test_the_account_page_links_to_the_tokens_and_the_docs(client, db, auth):
    auth.login(Role.INTERVIEWER)

    page = client.get("/account").get_data(as_text=True)

    assert 'href="/account/api-tokens"' in page and 'href="/api/v1/docs"' in page


def test_the_token_lists_cost_the_same_queries_for_3_tokens_as_for_30(
    client, db, auth, count_queries
):
    admin = auth.login(Role.ADMIN)

    def page_queries(n: int) -> int:
        for i in range(n):
            person = factories.UserFactory(team=admin.team)
            tokens.issue(db.session, person, kind="personal", name=f"t{i}", scopes=["read"])
            tokens.issue(db.session, admin, kind="team", name=f"team{i}", scopes=["read"])
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/team/api-tokens").status_code == 200
        return counter.count

    assert page_queries(3) == page_queries(27)
