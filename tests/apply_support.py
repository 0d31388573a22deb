"""Files and form data for the tests of applying: a PDF, DOCX and ODT made in code, an
executable renamed .pdf, and a filled apply form."""

from __future__ import annotations

import io
import zipfile

from interviewer.seed.cv_pdf import minimal_pdf

PDF = minimal_pdf(["Ada Applicant", "Backend developer, 7 years"])


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    return buffer.getvalue()


#: The start of a Windows executable.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def form(cv: tuple[bytes, str] | None = (PDF, "cv.pdf"), **fields) -> dict:
    """A filled apply form (multipart): ``cv`` as (bytes, name), ``None`` for no file."""
    data = {
        "name": "Ada Applicant",
        "email": "ada@example.org",
        "phone": "+49 30 1234",
        "links": "https://code.example.org/ada",
        "cover_note": "I have run billing systems for years.",
        "timezone": "Europe/Berlin",
        "consent": "y",
        "website": "",
        **fields,
    }
    if cv is not None:
        data["cv"] = (io.BytesIO(cv[0]), cv[1])
    return {key: value for key, value in data.items() if value is not None}
