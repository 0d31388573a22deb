"""Loading the team's invitations and users by id, for the views that act on one."""

from __future__ import annotations

from typing import Any

from interviewer.accounts.models import Invitation
from interviewer.auth.access import get_user_or_404
from interviewer.db import get_in_team_or_404

__all__ = ["get_invitation_or_404", "get_user_or_404"]


def get_invitation_or_404(invitation_id: Any, *options: Any) -> Invitation:
    """An invitation of the signed-in user's team, or 404 (another team's is not there)."""
    return get_in_team_or_404(Invitation, invitation_id, *options)
