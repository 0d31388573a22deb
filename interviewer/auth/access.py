"""Loading the team's users by id, for the views that act on one."""

from __future__ import annotations

from typing import Any

from interviewer.auth.models import User
from interviewer.db import get_in_team_or_404


def get_user_or_404(user_id: Any, *options: Any) -> User:
    """A user of the signed-in user's team, or 404 (another team's user is not there)."""
    return get_in_team_or_404(User, user_id, *options)
