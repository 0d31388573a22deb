"""The demo team's brand: a short display name, a teal accent and a small SVG logo, set
through the branding services as an admin would."""

from __future__ import annotations

from interviewer.auth.models import Role
from interviewer.branding import services
from interviewer.seed.setup import Demo

DISPLAY_NAME = "Acme"
#: Teal, 6.5:1 against white: passes the contrast check with room to spare.
ACCENT = "#0f6b5c"
#: A rounded square with a chevron, in the accent colour.
LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">'
    b"<title>Acme</title>"
    b'<rect width="48" height="48" rx="11" fill="#0f6b5c"/>'
    b'<path d="M13 33 24 13l11 20" fill="none" stroke="#fff" stroke-width="5" '
    b'stroke-linecap="round" stroke-linejoin="round"/>'
    b'<circle cx="24" cy="31" r="3.5" fill="#9be3d4"/>'
    b"</svg>"
)


def build(demo: Demo) -> None:
    """Give the demo team its brand, as its admin."""
    admin = next(user for user in demo.users.values() if user.role is Role.ADMIN)
    services.update_brand(
        demo.session, demo.team, admin, display_name=DISPLAY_NAME, accent_color=ACCENT
    )
    services.save_logo(demo.session, demo.team, admin, LOGO)
