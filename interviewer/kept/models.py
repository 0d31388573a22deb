"""The counter that names the state of each team's rows, for the pages kept rendered."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base


class TeamVersion(Base):
    """A counter per team, raised at the end of every transaction that changed any of the
    team's rows, so that a kept page names the rows it shows (``interviewer.kept``)."""

    __tablename__ = "team_version"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    #: No row reads as 0; the first change makes the row at 1.
    version: Mapped[int] = mapped_column(BigInteger, default=0)
