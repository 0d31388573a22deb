"""Video rooms filled in on booking: an interviewer's own fixed link, or a fresh room under
the team's meeting-link base (e.g. ``https://meet.jit.si/``), which needs no account or key.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from interviewer.auth.models import Team, User

#: Random bytes in a room name: 128 bits, so a room cannot be guessed or found by trying.
ROOM_BYTES = 16
#: Room names start with this, so a team recognises its interview rooms.
ROOM_PREFIX = "interviewer-"


def new_room(base: str) -> str:
    """A fresh room under ``base``: ``https://meet.jit.si/interviewer-<token>``."""
    base = base.strip()
    if not base.endswith("/"):
        base += "/"
    return f"{base}{ROOM_PREFIX}{secrets.token_urlsafe(ROOM_BYTES)}"


def room_for(team: Team, panel: Sequence[User]) -> str:
    """The video link for a new interview of ``panel``.

    The first panel member (in the panel's order) who has a fixed link of their own gives it;
    else a new room under the team's base; else ``""`` (no video room).
    """
    for user in panel:
        if (user.video_link or "").strip():
            return user.video_link.strip()
    if (team.video_link_base or "").strip():
        return new_room(team.video_link_base)
    return ""
