"""Calling the API in tests: a live token for a person, and its request headers."""

from __future__ import annotations

from interviewer.api import tokens
from interviewer.extensions import db


def bearer(user, *scopes: str, kind: str = tokens.PERSONAL, **options) -> dict[str, str]:
    """The ``Authorization`` header of a new token of ``user`` (default scopes: read and
    write), committed so that requests see it.

    Scopes the token pages would not offer ``user`` (``write`` for an interviewer) are given
    anyway, as a token made before its person's role changed keeps them: the API's role
    checks, not the scopes alone, must refuse what the role may not do. ``expires_at`` may
    be past (an expired token).
    """
    wanted = scopes or (tokens.READ, tokens.WRITE)
    # Set after issuing, so a test may make a token that is already expired.
    expires_at = options.pop("expires_at", None)
    offered = tokens.scopes_for(user, kind)
    token, raw = tokens.issue(
        db.session,
        user,
        kind=kind,
        name=options.pop("name", "test"),
        scopes=[scope for scope in wanted if scope in offered] or [tokens.READ],
        **options,
    )
    token.scopes = " ".join(scope for scope in tokens.SCOPES if scope in wanted)
    token.expires_at = expires_at
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}
