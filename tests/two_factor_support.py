"""Two-factor sign-in in tests: a known secret and the code an authenticator app would show."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp

from interviewer.db import utcnow

#: A fixed secret (base32), so that a test computes the codes the app would show.
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
#: A moment in the middle of a 30-second step, for frozen clocks.
NOW = datetime(2031, 3, 4, 10, 0, 15, tzinfo=UTC)


def code(secret: str = SECRET, at: datetime | None = None, steps: int = 0) -> str:
    """The 6-digit code for ``at`` (default: now), ``steps`` steps of 30 seconds later."""
    moment = (at or utcnow()).timestamp() + 30 * steps
    return pyotp.TOTP(secret).at(moment)


def turn_on(user, secret: str = SECRET):
    """Give ``user`` two-factor sign-in with ``secret`` (as if set up); returns the user."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    return user
