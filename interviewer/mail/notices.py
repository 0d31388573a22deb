"""The outbox's answer to ``auth.signals.admin_notices``: how many emails wait or failed."""

from __future__ import annotations

from typing import Any

from flask import url_for

from interviewer.auth.signals import AdminNotice, admin_notices
from interviewer.mail.outbox import outbox_counts


@admin_notices.connect
def outbox_notice(team: Any, *, session: Any, **_: Any) -> AdminNotice:
    """The team's waiting and failed emails, with a link to the outbox (its failed ones
    when there are any)."""
    counts = outbox_counts(session, team.id)
    text = f"Outbox: {counts.waiting} email(s) waiting, {counts.failed} failed."
    if counts.failed:
        return AdminNotice(
            text, "See the failed emails", url_for("mail.outbox_index", show="failed"), "warning"
        )
    return AdminNotice(text, "Open the outbox", url_for("mail.outbox_index"))
