"""Changing a team's brand: display name, accent colour and logo, each with an audit event."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import Team, User
from interviewer.branding import colours, logos
from interviewer.branding.models import TeamLogo
from interviewer.db import utcnow


def logo_of(session: Session, team: Team) -> TeamLogo | None:
    """The team's logo, without its bytes (they load when read)."""
    return session.scalar(select(TeamLogo).where(TeamLogo.team_id == team.id))


def update_brand(
    session: Session,
    team: Team,
    actor: User | None,
    *,
    display_name: str | None,
    accent_color: str | None,
) -> bool:
    """Set the team's display name and accent colour (blank: none); flushes.

    The accent is checked again here (:func:`colours.check_accent` raises
    :class:`colours.AccentError`), whatever form it came from. Returns whether anything
    changed.
    """
    name = (display_name or "").strip() or None
    accent = colours.check_accent(accent_color) if (accent_color or "").strip() else None
    if (team.display_name, team.accent_color) == (name, accent):
        return False
    audit.record(
        session,
        team_id=team.id,
        actor=actor,
        action="team.brand_changed",
        subject=team,
        display_name=name,
        accent_color=accent,
    )
    team.display_name, team.accent_color = name, accent
    session.flush()
    return True


def save_logo(session: Session, team: Team, actor: User | None, data: bytes) -> TeamLogo:
    """Check ``data`` (:func:`logos.check_logo` raises :class:`logos.LogoError`) and make
    it the team's logo, replacing the one before; flushes."""
    content_type = logos.check_logo(data)
    logo = logo_of(session, team) or TeamLogo(team_id=team.id)
    logo.content_type = content_type
    logo.data = data
    logo.size = len(data)
    logo.sha256 = hashlib.sha256(data).hexdigest()
    logo.updated_at = utcnow()
    session.add(logo)
    session.flush()
    audit.record(
        session,
        team_id=team.id,
        actor=actor,
        action="team.logo_uploaded",
        subject=team,
        content_type=content_type,
        size=len(data),
    )
    return logo


def remove_logo(session: Session, team: Team, actor: User | None) -> bool:
    """Remove the team's logo; flushes. Returns whether there was one."""
    logo = logo_of(session, team)
    if logo is None:
        return False
    session.delete(logo)
    audit.record(session, team_id=team.id, actor=actor, action="team.logo_removed", subject=team)
    session.flush()
    return True
