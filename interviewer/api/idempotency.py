"""``Idempotency-Key`` on creates: a retried request with the same key gets the first answer
again instead of creating a second row.

The first request with a key reserves a row (token, key) in the same transaction as what it
creates, so the two are committed together; its answer is written into the row once it is
sent. A retry with the same key and the same request gets that answer again, marked
``Idempotent-Replayed: true``; the same key with another request is a 422; a retry while the
first is still running is a 409. Two requests racing with one key meet at the unique
constraint: the second waits for the first's commit, then replays or gets the 409. An error
answer is not kept (the retry runs again). Keys last 24 hours.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Response, after_this_request, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from interviewer.api import tokens
from interviewer.api.models import ApiToken, IdempotentRequest
from interviewer.api.problems import abort_problem
from interviewer.db import utcnow
from interviewer.extensions import db

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
#: How long a key's answer is kept and replayed.
LIFETIME = timedelta(hours=24)
#: The answer's headers a replay repeats.
KEPT_HEADERS = ("Content-Type", "Location", "ETag")


def idempotent(view: Callable) -> Callable:
    """Replay the stored answer of a create sent again with the same ``Idempotency-Key``."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        token_id = _token_id() if key is not None else None
        if token_id is None:
            return view(*args, **kwargs)  # no key, or no token (which is refused next)
        if not key.strip() or len(key) > 255:
            abort_problem(400, "An Idempotency-Key has 1 to 255 characters.", field=HEADER)
        row = _reserve(token_id, key, request_hash())
        if isinstance(row, Response):
            return row
        after_this_request(_keeper(row))
        return view(*args, **kwargs)

    wrapped.idempotent = True
    return wrapped


def request_hash() -> str:
    """What makes two requests the same: method, path with query, and the body (a JSON body
    compared by its content, so spacing and key order do not matter)."""
    raw = request.get_data()
    try:
        body = json.dumps(json.loads(raw or b"null"), sort_keys=True).encode()
    except ValueError:
        body = raw
    text = f"{request.method} {request.full_path}\n".encode() + body
    return hashlib.sha256(text).hexdigest()


def _token_id() -> int | None:
    """The id of the token the request names (it is checked fully by ``token_required``)."""
    kind, _, raw = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "bearer" or not raw.strip():
        return None
    digest = tokens.hash_token(raw.strip())
    return db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == digest))


def _reserve(token_id: int, key: str, digest: str) -> IdempotentRequest | Response:
    """The new row holding this request's place, or the answer to give instead of running."""
    forget_expired()
    found = _find(token_id, key)
    if found is None:
        team_id = db.session.scalar(select(ApiToken.team_id).where(ApiToken.id == token_id))
        row = IdempotentRequest(team_id=team_id, token_id=token_id, key=key, request_hash=digest)
        try:
            with db.session.begin_nested():
                db.session.add(row)
            return row
        except IntegrityError:
            # Another request took the key first; by now it has committed.
            found = _find(token_id, key)
            if found is None:
                abort_problem(409, "A request with this Idempotency-Key is in progress.")
    return _answer_again(found, digest)


def _find(token_id: int, key: str) -> IdempotentRequest | None:
    return db.session.scalar(
        select(IdempotentRequest)
        .where(IdempotentRequest.token_id == token_id, IdempotentRequest.key == key)
        .execution_options(populate_existing=True)
    )


def _answer_again(found: IdempotentRequest, digest: str) -> Response:
    if found.request_hash != digest:
        abort_problem(
            422,
            "This Idempotency-Key was used for another request; use a new key for a new one.",
            field=HEADER,
        )
    if found.status is None:
        abort_problem(409, "A request with this Idempotency-Key is in progress; retry in a moment.")
    headers = {**(found.headers or {}), REPLAYED: "true"}
    return Response(found.body, status=found.status, headers=headers)


def _keeper(row: IdempotentRequest) -> Callable[[Response], Response]:
    """Once the answer is built: keep it with the row, or give the key back on an error."""

    def keep(response: Response) -> Response:
        if response.status_code >= 400:
            # Nothing was created: a retry with this key runs again. (The request is not
            # committed on an error, and the 500 handler has rolled the row back already.)
            if row in db.session:
                db.session.delete(row)
                db.session.flush()
            return response
        row.status = response.status_code
        row.body = response.get_data(as_text=True)
        row.headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
        db.session.commit()
        return response

    return keep


def forget_expired() -> None:
    """Drop every key older than a day, whoever's (on each keyed write, by the indexed
    creation time, so none piles up even for a token that stops writing)."""
    db.session.execute(
        delete(IdempotentRequest).where(IdempotentRequest.created_at < utcnow() - LIFETIME)
    )
