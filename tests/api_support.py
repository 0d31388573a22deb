"""Calling the API in tests: a live token for a person, and its request headers."""

from __future__ import annotations

from interviewer.api import tokens
from interviewer.extensions import db


def bearer(user, *scopes: str, kind: str = tokens.PERSONAL, **options) -> dict[str, str]:
    """The ``Authorization`` header of a new token of ``user`` (default scopes: read and
    write), committed so that requests see it."""
    _token, raw = tokens.issue(
        db.session,
        user,
        kind=kind,
        name=options.pop("name", "test"),
        scopes=scopes or (tokens.READ, tokens.WRITE),
        **options,
    )
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}
