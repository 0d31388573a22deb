"""Signals by which auth asks or tells the features above it (the audit log, the outbox)."""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class AdminNotice:
    """One line on the users page: ``text``, and a link to the page that tells more."""

    text: str
    link_text: str
    url: str
    #: A Bootstrap alert colour: ``info``, or ``warning`` when something needs the admin.
    level: str = "info"


admin_notices = _signals.signal(
    "admin-notices",
    doc="""What an admin of the team (the sender, a ``Team``) should know about it.

    Sent with ``session``. Each receiver returns an :class:`AdminNotice` or ``None``.
    """,
)


account_event = _signals.signal(
    "account-event",
    doc="""Something happened to an account (the sender is its subject, usually a ``User``).

    Sent with ``session``, ``team_id``, ``actor`` (a ``User`` or ``None``), ``action`` (a dotted
    verb such as ``user.signed_in``) and ``data`` (a dict). The audit log records it.
    """,
)
