"""Loading a token for the token pages: one's own personal token, or for an admin, any of
the team's."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from interviewer.api import tokens
from interviewer.api.models import ApiToken
from interviewer.auth.models import Role
from interviewer.db import get_in_team_or_404


def get_token_or_404(token_id: int) -> ApiToken:
    """The team's token ``token_id`` that the signed-in person may revoke: their own, or
    any of the team's for an admin (404 for another team's, 403 for a colleague's)."""
    token = get_in_team_or_404(ApiToken, token_id)
    if token.user_id != current_user.id and current_user.role != Role.ADMIN:
        abort(403)
    if token.kind == tokens.TEAM and current_user.role != Role.ADMIN:
        abort(403)
    return token
