"""What the public pages show of a team's brand, and the stylesheet of its accent colour."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from interviewer.auth.models import Team
from interviewer.branding import colours
from interviewer.branding.models import TeamLogo
from interviewer.extensions import db

#: The favicon of a team without a logo.
DEFAULT_FAVICON = "img/favicon.svg"


@dataclass(frozen=True)
class Brand:
    """The team as candidates see it: its name, logo, stylesheet and favicon addresses."""

    name: str
    logo_url: str | None
    style_url: str
    favicon_url: str
    favicon_type: str


def style_version(team: Team) -> str:
    """The version in the stylesheet's address: it changes whenever the accent does."""
    return hashlib.sha256((team.accent_color or "default").encode()).hexdigest()[:12]


def logo_version(logo: TeamLogo | LogoRow) -> str:
    return logo.sha256[:16]


def brand_for(team: Team | None) -> Brand | None:
    """The brand of ``team`` for a public page (one query, for the logo's checksum);
    ``None`` without a team (a portal link that opens nothing)."""
    if team is None:
        return None
    logo = db.session.execute(
        select(TeamLogo.sha256, TeamLogo.content_type).where(TeamLogo.team_id == team.id)
    ).one_or_none()
    return _brand(team, logo)


def team_with_brand(*where) -> tuple[Team, Brand] | None:
    """The team matching ``where`` and its brand, in one query (the logo joined to the team
    instead of asked for after it); ``None`` when no team matches."""
    found = db.session.execute(
        select(Team, TeamLogo.sha256, TeamLogo.content_type)
        .outerjoin(TeamLogo, TeamLogo.team_id == Team.id)
        .where(*where)
    ).first()
    if found is None:
        return None
    team, sha256, content_type = found
    logo = LogoRow(sha256, content_type) if sha256 is not None else None
    return team, _brand(team, logo)


@dataclass(frozen=True)
class LogoRow:
    """What a brand reads of a team's logo."""

    sha256: str
    content_type: str


def _brand(team: Team, logo) -> Brand:
    logo_url = None
    if logo is not None:
        logo_url = url_for("branding.logo", team_slug=team.slug, v=logo_version(logo))
    return Brand(
        name=team.public_name,
        logo_url=logo_url,
        style_url=url_for("branding.style", team_slug=team.slug, v=style_version(team)),
        favicon_url=logo_url or url_for("static", filename=DEFAULT_FAVICON),
        favicon_type=logo.content_type if logo is not None else "image/svg+xml",
    )


def stylesheet(accent: str | None, scope: str = ":root") -> str:
    """CSS that paints Bootstrap's primary colour in ``accent`` inside ``scope`` (the whole
    page, or the preview box of the settings page); nothing without an accent."""
    if not accent:
        return "/* The default colours. */\n"
    hover = colours.hover_shade(accent)
    red, green, blue = colours.rgb(accent)
    inner = "" if scope == ":root" else f"{scope} "
    return f"""{scope} {{
  --brand-accent: {accent};
  --bs-primary: {accent};
  --bs-primary-rgb: {red}, {green}, {blue};
  --bs-link-color: {accent};
  --bs-link-color-rgb: {red}, {green}, {blue};
  --bs-link-hover-color: {hover};
  --bs-link-hover-color-rgb: {", ".join(str(part) for part in colours.rgb(hover))};
}}
{inner}a:not(.btn) {{ color: {accent}; }}
{inner}a:not(.btn):hover {{ color: {hover}; }}
{inner}.btn-primary {{
  --bs-btn-bg: {accent};
  --bs-btn-border-color: {accent};
  --bs-btn-hover-bg: {hover};
  --bs-btn-hover-border-color: {hover};
  --bs-btn-active-bg: {hover};
  --bs-btn-active-border-color: {hover};
  --bs-btn-disabled-bg: {accent};
  --bs-btn-disabled-border-color: {accent};
}}
{inner}.btn-outline-primary {{
  --bs-btn-color: {accent};
  --bs-btn-border-color: {accent};
  --bs-btn-hover-bg: {accent};
  --bs-btn-hover-border-color: {accent};
  --bs-btn-active-bg: {hover};
  --bs-btn-active-border-color: {hover};
  --bs-btn-disabled-color: {accent};
  --bs-btn-disabled-border-color: {accent};
}}
{inner}.brand-bar {{ border-top-color: {accent} !important; }}
"""
