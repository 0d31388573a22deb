"""Loading one email of the outbox, which only admins read (``admin_required``)."""

from __future__ import annotations

from interviewer.db import get_in_team_or_404
from interviewer.mail.models import OutboxEmail


def get_outbox_email_or_404(email_id: int) -> OutboxEmail:
    """The signed-in user's team's email ``email_id``; another team's is a 404."""
    return get_in_team_or_404(OutboxEmail, email_id)
