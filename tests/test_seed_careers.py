"""The demo's careers-page applications: PDFs kept in the storage, consents, the emails with
the portal link, the source; ``flask seed-demo`` run again changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from interviewer.candidates.applying import CAREERS_PAGE_SOURCE
from interviewer.candidates.models import Application
from interviewer.db import Base
from interviewer.files import services as files
from interviewer.files.models import StoredFile
from interviewer.mail.models import OutboxEmail
from interviewer.seed.careers import APPLICANTS


def _counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_the_demo_has_careers_page_applications_with_pdf_cvs(app, runner, db):
    with app.app_context():
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        before = _counts(db)
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        assert _counts(db) == before

        applications = db.session.scalars(
            select(Application).where(Application.cv_file_id.is_not(None))
        ).all()
        assert len(applications) == len(APPLICANTS) >= 3
        for application in applications:
            assert application.candidate.source == CAREERS_PAGE_SOURCE
            assert application.consented_at is not None
            stored = application.cv_file
            assert stored.content_type == "application/pdf"
            data = files.open(stored)
            assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
            assert (Path(app.config["FILES_DIR"]) / stored.storage_key).is_file()
            email = db.session.scalar(
                select(OutboxEmail).where(OutboxEmail.to_email == application.candidate.email)
            )
            assert "/portal/" in email.body
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == len(APPLICANTS)
