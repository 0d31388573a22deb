"""Keeping bots off the apply form without a third-party captcha: a field people never see
(the honeypot) and a minimum time between showing the form and sending it (a signed
timestamp in the form). The per-address rate limit is on the view."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner

from interviewer.db import utcnow

SALT = "interviewer.apply-form"
TOO_FAST = "That was very quick: check your details, then send the application again."


def _signer() -> TimestampSigner:
    return TimestampSigner(current_app.config["SECRET_KEY"], salt=SALT)


def started_token() -> str:
    """The signed time the form is shown at."""
    return _signer().sign("apply").decode()


def filled_too_fast(token: str | None) -> bool:
    """Whether the form came back sooner than ``APPLY_MIN_SECONDS`` after it was shown (or
    without a genuine token)."""
    minimum = current_app.config.get("APPLY_MIN_SECONDS") or 0
    if minimum <= 0:
        return False
    try:
        _, signed_at = _signer().unsign(token or "", return_timestamp=True)
    except BadSignature:
        return True
    return (utcnow() - signed_at).total_seconds() < minimum


def is_bot(honeypot: str | None) -> bool:
    """Whether the field no person sees was filled in."""
    return bool((honeypot or "").strip())
