"""The stored file table: one row per file a team keeps, the bytes kept by the storage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from interviewer.db import Base, TeamScoped, utcnow


class StoredFile(TeamScoped, Base):
    """A file the team keeps, such as a candidate's CV; its bytes are in the storage."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The name it was uploaded under, without any folder: offered again on download.
    name: Mapped[str] = mapped_column(String(255))
    #: The type found from the bytes (never from the name), served with the file.
    content_type: Mapped[str] = mapped_column(String(120))
    #: Bytes.
    size: Mapped[int]
    #: SHA-256 of the bytes, in hex: tells a file damaged in storage.
    checksum: Mapped[str] = mapped_column(String(64))
    #: Where the storage keeps the bytes (``<team id>/<random hex>``): no part of it comes
    #: from the uploader.
    storage_key: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.id} {self.content_type} {self.size}>"
