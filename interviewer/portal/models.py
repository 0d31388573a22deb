"""What the portal keeps of its own: the version of each application's portal page."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base


class PortalVersion(Base):
    """A counter per application, raised in the same transaction as any change to what its
    portal page shows of it, so that every process can tell a kept page from a stale one."""

    __tablename__ = "portal_version"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    #: No row reads as 0; the first change makes the row at 1.
    version: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<PortalVersion application {self.application_id} v{self.version}>"
