"""Where the bytes of stored files live: a small interface and the local disk behind it.

The app uses the storage that ``app.extensions["file_storage"]`` holds, else a
:class:`LocalStorage` under ``FILES_DIR`` (``instance/files``), outside ``static/`` so no
file is ever served without the route that checks who asks. An object store is another
class with the same three methods, set there at start.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from flask import current_app

#: What a key looks like: ``<team id>/<random hex>``; anything else is refused before it
#: reaches a path.
KEY = re.compile(r"[0-9]{1,12}/[0-9a-f]{32}")


class Storage(Protocol):
    """Keeps bytes under a key; knows nothing of teams, names or types."""

    def save(self, key: str, data: bytes) -> None: ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def new_key(team_id: int) -> str:
    """A fresh key for one of the team's files: random, never made from the file's name."""
    return f"{team_id}/{secrets.token_hex(16)}"


class LocalStorage:
    """Files in a folder of this machine, one sub-folder per team."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def save(self, key: str, data: bytes) -> None:
        """Write ``data`` whole under another name, then move it into place: a reader never
        sees half a file."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.part")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(draft, path)

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the file; one already gone is no error."""
        self._path(key).unlink(missing_ok=True)


def get_storage() -> Storage:
    """The app's storage: the one set at start, else the local disk under ``FILES_DIR``."""
    storage = current_app.extensions.get("file_storage")
    if storage is not None:
        return storage
    root = Path(current_app.instance_path) / current_app.config.get("FILES_DIR", "files")
    return LocalStorage(root)
