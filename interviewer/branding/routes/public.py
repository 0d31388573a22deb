"""The logo and the accent stylesheet that the careers pages and the portal load.

Both are addressed with a version (the logo's checksum, the accent's hash), so a browser
may keep them for a year: a new logo or colour has a new address. An address with an old or
no version still answers, briefly cached, and a conditional request gets a 304.
"""

from __future__ import annotations

from flask import Response, abort, request
from sqlalchemy import select

from interviewer.auth.models import Team
from interviewer.auth.permissions import public
from interviewer.branding import bp, services
from interviewer.branding.brand import logo_version, style_version, stylesheet
from interviewer.extensions import db

#: How long a versioned address may be kept: a year, never revalidated.
LONG_CACHE = 365 * 24 * 3600
#: How long an address without the current version may be kept before asking again.
SHORT_CACHE = 300
#: What an SVG logo opened on its own may do: draw, with its own styles, and nothing else
#: (no script, no request, no frame around it; sandboxed as if from another origin).
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"


def _team_or_404(team_slug: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.slug == team_slug))
    if team is None:
        abort(404)
    return team


def _cached(response: Response, etag: str, version: str) -> Response:
    response.set_etag(etag)
    response.cache_control.public = True
    if request.args.get("v") == version:
        response.cache_control.max_age = LONG_CACHE
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = SHORT_CACHE
    return response.make_conditional(request)


@bp.route("/careers/<team_slug>/brand/logo")
@public
def logo(team_slug: str):
    """The team's logo, as uploaded; 404 when it has none."""
    found = services.logo_of(db.session, _team_or_404(team_slug))
    if found is None:
        abort(404)
    if found.sha256 in request.if_none_match:
        # The browser has it: no need to read the bytes.
        return _cached(Response(status=304), found.sha256, logo_version(found))
    response = Response(found.data, mimetype=found.content_type)
    response.headers["Content-Disposition"] = f'inline; filename="logo.{found.extension}"'
    if found.content_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return _cached(response, found.sha256, logo_version(found))


@bp.route("/careers/<team_slug>/brand/style.css")
@public
def style(team_slug: str):
    """The stylesheet that paints the team's accent colour on its public pages."""
    team = _team_or_404(team_slug)
    version = style_version(team)
    response = Response(stylesheet(team.accent_color), mimetype="text/css")
    return _cached(response, version, version)
