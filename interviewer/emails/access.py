"""Loading a team's email text and the kind an editor page names."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from interviewer.db import get_in_team_or_404
from interviewer.emails.kinds import KINDS, Kind
from interviewer.emails.models import CandidateEmailKind, EmailTemplate
from interviewer.emails.services import is_known_reason


def get_email_template_or_404(email_template_id: int) -> EmailTemplate:
    """The signed-in user's team's edited text ``email_template_id``; another team's is a 404."""
    return get_in_team_or_404(EmailTemplate, email_template_id)


def get_kind_or_404(kind: str, reason: str = "") -> Kind:
    """The kind of email ``kind`` names, for one of the team's reasons ("" the default)."""
    try:
        found = KINDS[CandidateEmailKind(kind)]
    except ValueError:
        abort(404)
    if not is_known_reason(found.kind, reason, current_user.team_id):
        abort(404)
    return found
