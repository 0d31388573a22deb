"""Mail settings: the sender address and the SMTP server, from the app's config.

``config.py`` reads them from the environment (``MAIL_FROM``, ``SMTP_HOST``, ``SMTP_PORT``,
``SMTP_USERNAME``, ``SMTP_PASSWORD``, ``SMTP_STARTTLS``, ``SMTP_SSL``, ``SMTP_TIMEOUT``);
this module gives them their defaults and meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context

#: Sender used when ``MAIL_FROM`` is not set.
DEFAULT_SENDER = "interviewer@localhost"

_TRUTHY = {"1", "true", "yes", "on"}


def _setting(config: Mapping[str, Any] | None, name: str, default: str = "") -> str:
    """``name`` from ``config`` (the app's by default), stripped; blank or unset: ``default``.

    Outside an app context (a test or script building emails directly) every setting has
    its default.
    """
    if config is None:
        config = current_app.config if has_app_context() else {}
    value = config.get(name)
    if value is None or not str(value).strip():
        return default
    return str(value).strip()


def default_sender(config: Mapping[str, Any] | None = None) -> str:
    """The sender of every email and organizer of calendar files: ``MAIL_FROM``, else a
    local placeholder."""
    return _setting(config, "MAIL_FROM") or DEFAULT_SENDER


def smtp_configured(config: Mapping[str, Any] | None = None) -> bool:
    """Whether ``SMTP_HOST`` is set, so that ``flask send-mail`` delivers the outbox."""
    return bool(_setting(config, "SMTP_HOST"))


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver mail; ``host`` empty means SMTP is not configured."""

    host: str = ""
    port: int = 587
    username: str = ""
    password: str = ""
    starttls: bool = True
    #: TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS.
    ssl: bool = False
    sender: str = DEFAULT_SENDER
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> SmtpSettings:
        """The SMTP settings in ``config`` (the app's by default). ``SMTP_SSL`` defaults to
        on for port 465. Raises ``ValueError`` for a port or timeout that is not a number."""

        def get(name: str, default: str = "") -> str:
            return _setting(config, name, default)

        try:
            port = int(get("SMTP_PORT", "587"))
            timeout = float(get("SMTP_TIMEOUT", "30"))
        except ValueError:
            raise ValueError("SMTP_PORT and SMTP_TIMEOUT must be numbers.") from None
        ssl = get("SMTP_SSL", "true" if port == 465 else "false").lower() in _TRUTHY
        # STARTTLS makes no sense on a connection that is already encrypted.
        starttls = not ssl and get("SMTP_STARTTLS", "true").lower() in _TRUTHY
        return cls(
            host=get("SMTP_HOST"),
            port=port,
            username=get("SMTP_USERNAME"),
            password=get("SMTP_PASSWORD"),
            starttls=starttls,
            ssl=ssl,
            sender=get("MAIL_FROM") or DEFAULT_SENDER,
            timeout=timeout,
        )
