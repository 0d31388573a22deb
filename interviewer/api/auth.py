"""Bearer-token authentication for API endpoints, with scopes.

The API never reads the session cookie: a token in ``Authorization: Bearer`` is the only way
in, so no other site can make a browser call the API (and CSRF does not apply).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request
from limits import parse

from interviewer.api import tokens
from interviewer.api.models import ApiToken
from interviewer.api.problems import abort_problem
from interviewer.auth.models import Role
from interviewer.extensions import db, limiter

_CHALLENGE = 'Bearer realm="interviewer"'


def current_token() -> ApiToken | None:
    """The token the current API request came with, once authenticated."""
    return g.get("api_token")


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    kind, _, raw = header.partition(" ")
    return raw.strip() if kind.lower() == "bearer" and raw.strip() else None


def token_required(scope: str = tokens.READ, *, roles: tuple[Role, ...] = tuple(Role)) -> Callable:
    """Let in requests whose bearer token is live and carries ``scope``, for a person of one
    of ``roles`` (as ``role_required`` does for pages); the token's person is then
    ``current_user`` for the access helpers and services, as on the pages.

    No token or a dead one: 401 with a ``WWW-Authenticate`` challenge; a token without the
    scope, or a person whose role may not: 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            raw = _bearer()
            token = tokens.authenticate(db.session, raw, request.remote_addr) if raw else None
            if token is None:
                abort_problem(
                    401,
                    "Send a live API token as 'Authorization: Bearer <token>'; tokens are "
                    "made on your account page or, for the team, by an admin.",
                    **{"WWW-Authenticate": _CHALLENGE},
                )
            if not tokens.allows(token, scope):
                abort_problem(403, f"This token does not carry the '{scope}' scope.")
            if token.user.role not in roles:
                abort_problem(403, "Your role does not give access to this.")
            _count_against_limit(token)
            g.api_token = token
            # What flask_login's current_user reads: the token's person, for this request only.
            g._login_user = token.user
            return view(*args, **kwargs)

        # The token, not the cookie, decides: two-factor set-up and session loading skip it.
        wrapped.public = True
        # What the document and the documentation pages say the operation needs.
        wrapped.api_needs = (scope, roles)
        return wrapped

    return decorator


def _count_against_limit(token: ApiToken) -> None:
    """Count the request against the token's limit (``API_RATE_LIMIT``, Flask-Limiter's
    storage, so several workers share it); over it, 429 saying when to try again.

    The key is the token (its id and prefix), not the address: a script behind a shared
    address never uses up a colleague's allowance, and a leaked token cannot flood the API.
    """
    if not limiter.enabled:
        return
    limit = parse(current_app.config["API_RATE_LIMIT"])
    key = f"{token.id}:{token.prefix}"
    if limiter.limiter.hit(limit, "api-token", key):
        return
    reset_at, _remaining = limiter.limiter.get_window_stats(limit, "api-token", key)
    seconds = max(1, math.ceil(reset_at - time.time()))
    abort_problem(
        429,
        f"This token has made more than {limit} requests; try again in {seconds} seconds.",
        **{"Retry-After": str(seconds)},
    )
