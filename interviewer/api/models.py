"""The API's own table: the tokens that open it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interviewer.auth.models import User
from interviewer.db import Base, TeamScoped, utcnow


class ApiToken(TeamScoped, Base):
    """A bearer token: a team's (made by an admin, acting with that admin's rights while they
    stay an active admin) or one person's own (acting as them). Only its hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: ``team`` or ``personal``.
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"secret": True})
    #: The token's first characters, to tell tokens apart in lists and logs.
    prefix: Mapped[str] = mapped_column(String(16))
    #: Space-separated: ``read``, ``write``, ``scorecards:write``.
    scopes: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    last_used_ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())
