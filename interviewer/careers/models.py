"""What the careers pages keep of their own: the version of each team's public content."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base


class CareersVersion(Base):
    """A counter per team, raised in the same transaction as any change to what its careers
    pages show, so that every process can tell a cached page from a stale one."""

    __tablename__ = "careers_version"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    #: No row reads as 0; the first change makes the row at 1.
    version: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<CareersVersion team {self.team_id} v{self.version}>"
