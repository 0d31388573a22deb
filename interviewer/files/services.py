"""Keeping, reading and removing a team's files: the only way features touch the bytes.

``store`` writes the bytes before the caller commits the row; when the caller's transaction
fails, it calls ``discard`` with the key so no file is left without its row.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from interviewer.files.checks import CheckedFile
from interviewer.files.models import StoredFile
from interviewer.files.storage import get_storage, new_key


class FileDamaged(RuntimeError):
    """The bytes in storage are not those that were stored (their checksum differs)."""


def store(session: Session, *, team_id: int, checked: CheckedFile) -> StoredFile:
    """Keep a checked file for the team: the bytes in the storage, the row in ``session``
    (flushed, not committed)."""
    key = new_key(team_id)
    get_storage().save(key, checked.data)
    stored = StoredFile(
        team_id=team_id,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        checksum=hashlib.sha256(checked.data).hexdigest(),
        storage_key=key,
    )
    session.add(stored)
    session.flush()
    return stored


def open(stored: StoredFile) -> bytes:  # noqa: A001 - files.open, as the module reads
    """The bytes of ``stored``, checked against its checksum (:class:`FileDamaged` if not)."""
    data = get_storage().read(stored.storage_key)
    if hashlib.sha256(data).hexdigest() != stored.checksum:
        raise FileDamaged(f"stored file {stored.id} does not match its checksum")
    return data


def delete(session: Session, stored: StoredFile) -> None:
    """Remove ``stored``: the file itself from the storage and its row from ``session``."""
    get_storage().delete(stored.storage_key)
    session.delete(stored)
    session.flush()


def discard(storage_key: str) -> None:
    """Remove the bytes kept under ``storage_key`` when the row that named them was rolled
    back (the caller's transaction failed)."""
    get_storage().delete(storage_key)
