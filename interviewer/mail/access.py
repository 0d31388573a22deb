"""Who reads the outbox, and loading one of its emails.

Only admins read the outbox: the rule of ``interviewer.auth.permissions.admin_required``,
checked here by the role's value because mail sits below auth and imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from interviewer.db import get_in_team_or_404
from interviewer.mail.models import OutboxEmail

#: The role that reads the outbox (``Role.ADMIN``'s value).
READER_ROLE = "admin"


def outbox_reader_required(view: Callable) -> Callable:
    """Let only signed-in admins in; others get 403 before anything is loaded."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != READER_ROLE:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def get_outbox_email_or_404(email_id: int) -> OutboxEmail:
    """The signed-in user's team's email ``email_id``; another team's is a 404."""
    return get_in_team_or_404(OutboxEmail, email_id)
