"""Stored files: the type is read from the bytes, bad files are refused with a reason, and
the storage keeps, reads and removes the bytes under keys no uploader chooses."""

from __future__ import annotations

import hashlib

import pytest

from interviewer.files import services as files
from interviewer.files.checks import DOCX, ODT, PDF, FileRefused, check_upload, content_type
from interviewer.files.models import StoredFile
from interviewer.files.storage import LocalStorage, get_storage
from tests import apply_support, factories

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (apply_support.PDF, PDF),
        (apply_support.docx(), DOCX),
        (apply_support.odt(), ODT),
        (apply_support.EXE, None),
        (apply_support.plain_zip(), None),
        (b"PK\x03\x04" + b"\x00" * 100, None),
        (b"Just some text, no document at all.", None),
    ],
    ids=["pdf", "docx", "odt", "exe", "zip", "broken zip", "text"],
)
def test_the_type_is_read_from_the_content(data, expected):
    assert content_type(data) == expected


def test_an_executable_named_pdf_is_refused():
    with pytest.raises(FileRefused, match="not a PDF, Word \\(DOCX\\) or OpenDocument"):
        check_upload("cv.pdf", apply_support.EXE, max_bytes=MB)


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="empty"):
        check_upload("cv.pdf", b"", max_bytes=MB)


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(FileRefused, match="up to 1 MB"):
        check_upload("cv.pdf", apply_support.PDF + b" " * MB, max_bytes=MB)


@pytest.mark.parametrize("name", ["../../etc/cv.pdf", "C:\\Users\\ada\\cv.pdf", "a/cv.pdf", ".."])
def test_a_path_in_the_name_is_refused(name):
    with pytest.raises(FileRefused, match="folder path"):
        check_upload(name, apply_support.PDF, max_bytes=MB)


def test_a_file_is_stored_read_and_deleted(app, db):
    team = factories.TeamFactory()
    with app.app_context():
        checked = check_upload("Ada CV.pdf", apply_support.PDF, max_bytes=MB)
        stored = files.store(db.session, team_id=team.id, checked=checked)
        path = get_storage().root / stored.storage_key
        assert stored.name == "Ada CV.pdf"
        assert stored.content_type == PDF
        assert stored.size == len(apply_support.PDF)
        assert stored.checksum == hashlib.sha256(apply_support.PDF).hexdigest()
        assert stored.storage_key.startswith(f"{team.id}/")
        assert "Ada" not in stored.storage_key
        assert path.read_bytes() == apply_support.PDF
        assert files.open(stored) == apply_support.PDF

        files.delete(db.session, stored)

        assert not path.exists()
        assert db.session.get(StoredFile, stored.id) is None


def test_a_damaged_file_is_told(app, db):
    team = factories.TeamFactory()
    with app.app_context():
        checked = check_upload("cv.pdf", apply_support.PDF, max_bytes=MB)
        stored = files.store(db.session, team_id=team.id, checked=checked)
        (get_storage().root / stored.storage_key).write_bytes(b"%PDF-1.4 changed")
        with pytest.raises(files.FileDamaged):
            files.open(stored)


def test_the_local_storage_refuses_a_key_it_did_not_make(tmp_path):
    storage = LocalStorage(tmp_path)
    for key in ("../secret_key", "1/../../x", "/etc/passwd", "1/ABC"):
        with pytest.raises(ValueError):
            storage.read(key)


def test_files_live_outside_static(app):
    with app.app_context():
        root = get_storage().root.resolve()
    assert not root.is_relative_to(app.root_path + "/../static")
