"""Two-factor sign-in: TOTP codes (RFC 6238, as authenticator apps make them) and one-time
recovery codes.

A code is accepted once: the step it belongs to is written on the user by an ``UPDATE`` that
only succeeds while the stored step is older, so a code cannot be replayed, not even by two
requests at the same moment. Recovery codes are kept as SHA-256 hashes and spent the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from interviewer.auth.models import RecoveryCode, User
from interviewer.db import utcnow

#: The issuer an authenticator app shows next to the account.
ISSUER = "Interviewer"
#: Steps either side of now whose code is still accepted: a phone's clock drifts.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
#: 16 characters of Crockford's base32 (no i, l, o or u): 80 random bits a code.
_RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RECOVERY_LENGTH = 16
_NOT_CODE = re.compile(r"[\s-]+")
#: Letters read as the digits they look like, as Crockford's base32 does.
_LOOKALIKES = str.maketrans("ilo", "110")


def new_secret(user: User) -> str:
    """Start setup: give ``user`` a new secret, not in use until ``enable`` confirms it."""
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = None
    user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(user: User) -> Markup:
    """The QR code of ``provisioning_uri`` as inline SVG, drawn here (no image service)."""
    code = segno.make(provisioning_uri(user), error="m")
    return Markup(code.svg_inline(scale=5, light="#fff", svgclass="totp-qr", title="QR code"))


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing by hand."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _clean(code: str | None) -> str:
    """``code`` as typed, without spaces and hyphens, in lower case, look-alikes read."""
    return _NOT_CODE.sub("", code or "").lower().translate(_LOOKALIKES)


def matching_step(secret: str, code: str | None) -> int | None:
    """The time step within ``DRIFT_STEPS`` of now whose code is ``code``, else ``None``."""
    code = _clean(code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(session: Session, user: User, code: str | None) -> bool:
    """Whether ``code`` is ``user``'s current TOTP code, not used before; spends it."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    spent = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent:
        user.totp_last_step = step
        session.flush()
    return bool(spent)


def enable(session: Session, user: User, code: str | None) -> list[str] | None:
    """Turn two-factor sign-in on when ``code`` comes from the secret being set up; returns
    the new recovery codes (to show once), or ``None`` when the code is not right."""
    if user.has_two_factor or not use_code(session, user, code):
        return None
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(session, user)


def disable(session: Session, user: User) -> None:
    """Turn two-factor sign-in off: the secret and the recovery codes are dropped."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _recovery_code() -> str:
    code = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(code[index : index + 4] for index in range(0, _RECOVERY_LENGTH, 4))


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace ``user``'s recovery codes with ``RECOVERY_CODE_COUNT`` new ones; returns them
    (only their hashes are kept)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str | None) -> bool:
    """Whether ``code`` is one of ``user``'s unused recovery codes; spends it."""
    if len(_clean(code)) != _RECOVERY_LENGTH:
        return False
    return bool(
        session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def use_any_code(session: Session, user: User, code: str | None) -> bool:
    """Whether ``code`` is a current TOTP code or an unused recovery code of ``user``."""
    return use_code(session, user, code) or use_recovery_code(session, user, code)


def recovery_codes_left(session: Session, user: User) -> int:
    """How many of ``user``'s recovery codes are not used yet."""
    return session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
