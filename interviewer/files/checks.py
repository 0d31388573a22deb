"""What an uploaded file is, found from its bytes, and the refusals a person reads.

The name a browser sends says nothing about the content: an executable renamed ``cv.pdf``
is refused. ``filetype`` reads the signature; the two zip containers (DOCX, ODT) are then
opened to see the entries that make them what they claim, so a zip that merely starts like
one is refused too.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
#: The types a CV may be, with the words a person knows them by.
CV_TYPES = {PDF: "PDF", DOCX: "Word (DOCX)", ODT: "OpenDocument (ODT)"}
#: Longest file name kept.
MAX_NAME = 255


class FileRefused(ValueError):
    """A file the app will not keep, with the reason in words for the person who sent it."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its clean name, the type found and the bytes."""

    name: str
    content_type: str
    data: bytes


def _zip_entries(data: bytes) -> zipfile.ZipFile | None:
    try:
        # Opening reads the archive's directory: a file that only starts like a zip fails.
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    return archive


def _is_docx(data: bytes) -> bool:
    """A Word document: the package's content types and its main document part."""
    archive = _zip_entries(data)
    if archive is None:
        return False
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        return False
    try:
        types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return False
    return b"wordprocessingml.document.main+xml" in types


def _is_odt(data: bytes) -> bool:
    """An OpenDocument text: a ``mimetype`` entry that says so, and its content."""
    archive = _zip_entries(data)
    if archive is None:
        return False
    try:
        mimetype = archive.read("mimetype").strip()
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return False
    return mimetype == ODT.encode() and "content.xml" in archive.namelist()


def content_type(data: bytes) -> str | None:
    """The type of ``data`` among PDF, DOCX and ODT, read from the bytes; ``None`` if none."""
    kind = filetype.guess(data)
    mime = kind.mime if kind is not None else None
    if mime == PDF:
        return PDF
    if data[:4] == b"PK\x03\x04":
        # filetype reads only the first entries; the archive itself has the last word.
        if mime in (DOCX, None, "application/zip") and _is_docx(data):
            return DOCX
        if mime in (ODT, None, "application/zip") and _is_odt(data):
            return ODT
    return None


def clean_name(name: str | None) -> str:
    """The file's name as sent, refused when it holds a folder or is no name at all."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise FileRefused("The file has no name: rename it and choose it again.")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise FileRefused(
            "The file name holds a folder path (“/” or “\\”): choose the file itself, "
            "with a plain name such as cv.pdf."
        )
    if any(unicodedata.category(char) in ("Cc", "Cs", "Cn") for char in name):
        raise FileRefused("The file name holds characters that are not text: rename it.")
    return name[-MAX_NAME:]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_upload(
    name: str | None, data: bytes, *, max_bytes: int, allowed: dict[str, str] = CV_TYPES
) -> CheckedFile:
    """``data`` as a file the team may keep, or :class:`FileRefused` saying why not: empty,
    over ``max_bytes``, a folder in its name, or a type outside ``allowed`` (by content)."""
    clean = clean_name(name)
    if not data:
        raise FileRefused(f"“{clean}” is empty: choose the file with your CV in it.")
    if len(data) > max_bytes:
        raise FileRefused(
            f"“{clean}” is {_megabytes(len(data))}; a file may be up to "
            f"{_megabytes(max_bytes)}. Save a smaller copy and choose it again."
        )
    found = content_type(data)
    if found is None or found not in allowed:
        words = list(allowed.values())
        kinds = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
        raise FileRefused(
            f"“{clean}” is not a {kinds} file, whatever its name says. "
            f"Save it as one of those and choose it again."
        )
    return CheckedFile(clean, found, data)
