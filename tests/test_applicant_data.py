"""A careers-page applicant's CV files and self-identification answers in their data export
and erasure: the export carries the files, the erasure deletes them from the storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from interviewer.candidates.models import SelfIdentification
from interviewer.files import services as files
from interviewer.files.models import StoredFile
from tests.test_candidate_data import Setup, erase, export, read_zip


@pytest.fixture
def setup(app, db) -> Setup:
    """Team A with a rejected application that came with a CV."""
    return Setup(app, db)


def _with_answers(db, setup) -> SelfIdentification:
    answers = SelfIdentification(
        team_id=setup.team.id, application_id=setup.application.id, gender="Woman"
    )
    db.session.add(answers)
    setup.application.cover_note = "I led the billing rewrite at my last job."
    db.session.flush()
    return answers


def test_the_export_holds_the_cv_files_and_the_answers(app, client, auth, db, setup):
    _with_answers(db, setup)
    stored = setup.application.cv_file
    assert stored is not None, "team A's application came with a CV"
    auth.login(user=setup.admin)

    data, contents = read_zip(export(client, setup.candidate.id))

    (listed,) = data["cv_files"]
    assert listed["sha256"] == stored.checksum
    with app.app_context():
        assert contents[listed["file"]] == files.open(stored)
    assert data["self_identification"] == [
        {"application_id": setup.application.id, "gender": "Woman"}
    ]


def test_erasing_deletes_the_cv_files_the_answers_and_the_note(app, client, auth, db, setup):
    _with_answers(db, setup)
    stored = setup.application.cv_file
    on_disk = Path(app.config["FILES_DIR"]) / stored.storage_key
    assert on_disk.is_file()
    auth.login(user=setup.admin)

    page = client.get(f"/candidates/{setup.candidate.id}/erase").get_data(as_text=True)
    erase(client, setup.candidate.id)

    assert "Their 1 CV file, deleted from storage" in page
    assert "Their voluntary self-identification answers." in page
    assert not on_disk.exists()
    assert db.session.get(StoredFile, stored.id) is None
    assert setup.application.cv_file_id is None
    assert setup.application.cover_note == ""
    count = select(func.count()).select_from(SelfIdentification)
    assert db.session.scalar(count.where(SelfIdentification.team_id == setup.team.id)) == 0
    assert client.get(f"/applications/{setup.application.id}/cv").status_code == 404
