"""The API's own tables: the tokens that open it, and the answers kept for retried creates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
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


class IdempotentRequest(TeamScoped, Base):
    """A create sent with an ``Idempotency-Key``: what was asked (a hash) and, once answered,
    the answer, replayed to a retry with the same key for 24 hours. One row per token and
    key (the unique constraint is what makes two concurrent tries create one thing)."""

    __tablename__ = "api_idempotent_request"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), index=True, info={"secret": False}
    )
    key: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the method, path and body: the same key for another request is refused.
    #: (A fingerprint of a request, not of a secret: a team's export keeps it.)
    request_hash: Mapped[str] = mapped_column(String(64), info={"secret": False})
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: ``None`` while the first request is being answered.
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    #: The headers that matter to a client: ``Content-Type``, ``Location``, ``ETag``.
    headers: Mapped[dict | None] = mapped_column(JSON)
