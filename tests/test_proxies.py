"""Behind a trusted proxy, rate limits count per client, not per proxy."""

from interviewer import create_app


def _fail_sign_in(client, forwarded_for):
    return client.post(
        "/login",
        data={"email": "nobody@example.com", "password": "wrong password"},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_clients_behind_a_trusted_proxy_are_limited_one_by_one(app, db):
    proxied = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        TRUSTED_PROXIES=1,
        LOGIN_RATE_LIMIT="2 per minute",
    )
    client = proxied.test_client()
    assert _fail_sign_in(client, "203.0.113.7").status_code == 401
    assert _fail_sign_in(client, "203.0.113.7").status_code == 401
    assert _fail_sign_in(client, "203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out by the first one.
    assert _fail_sign_in(client, "198.51.100.4").status_code == 401


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(app, db):
    direct = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        LOGIN_RATE_LIMIT="2 per minute",
    )
    client = direct.test_client()
    _fail_sign_in(client, "203.0.113.7")
    _fail_sign_in(client, "203.0.113.8")
    # A forged header does not buy an attacker new attempts.
    assert _fail_sign_in(client, "203.0.113.9").status_code == 429
