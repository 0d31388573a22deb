"""The team's logo: one uploaded image per team, served from the careers pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import Team
from interviewer.db import Base, utcnow


class TeamLogo(Base):
    """A team's logo as uploaded (a checked PNG or SVG), with its checksum for caching."""

    __tablename__ = "team_logo"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One logo per team: a new upload replaces the old one.
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), unique=True)
    #: ``image/png`` or ``image/svg+xml``, found from the bytes, never from the file name.
    content_type: Mapped[str] = mapped_column(String(40))
    #: The file itself; loaded only when the logo is served.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int]
    #: SHA-256 of ``data`` in hex: the ETag and the version in the logo's address.
    sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()

    def __repr__(self) -> str:
        return f"<TeamLogo of team {self.team_id} {self.content_type}>"

    @property
    def extension(self) -> str:
        return "svg" if self.content_type == "image/svg+xml" else "png"
