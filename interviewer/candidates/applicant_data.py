"""What applying from the careers page keeps about a candidate, in their data export and
erasure: the CV files and the voluntary self-identification answers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from interviewer.candidates.models import Application, Candidate, SelfIdentification
from interviewer.candidates.signals import (
    ExportPart,
    candidate_erasing,
    candidate_erasure_summary,
    candidate_export,
)
from interviewer.files import services as files
from interviewer.files.models import StoredFile

ANSWERS = ("gender", "ethnicity", "disability", "veteran")


def _session(candidate: Candidate) -> Session:
    session = Session.object_session(candidate)
    assert session is not None, "a candidate's data is read from the session that loaded it"
    return session


def _with_cv(session: Session, candidate: Candidate) -> list[Application]:
    return list(
        session.scalars(
            select(Application)
            .where(Application.candidate_id == candidate.id, Application.cv_file_id.is_not(None))
            .order_by(Application.id)
        )
    )


def _answers(session: Session, candidate: Candidate) -> list[SelfIdentification]:
    return list(
        session.scalars(
            select(SelfIdentification)
            .join(Application, Application.id == SelfIdentification.application_id)
            .where(Application.candidate_id == candidate.id)
            .order_by(SelfIdentification.application_id)
        )
    )


def _utc(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


@candidate_export.connect
def _export_cv_files(candidate: Candidate, **_: Any) -> ExportPart | None:
    applications = _with_cv(_session(candidate), candidate)
    if not applications:
        return None
    listed, contents = [], {}
    for application in applications:
        stored = application.cv_file
        # One folder per application: two CVs of the same name never overwrite each other.
        path = f"application-{application.id}/{PurePath(stored.name).name}"
        contents[path] = files.open(stored)
        listed.append(
            {
                "application_id": application.id,
                "file": f"files/{path}",
                "name": stored.name,
                "content_type": stored.content_type,
                "size": stored.size,
                "sha256": stored.checksum,
                "uploaded_at": _utc(stored.created_at),
            }
        )
    return ExportPart("cv_files", listed, contents)


@candidate_export.connect
def _export_self_identification(candidate: Candidate, **_: Any) -> ExportPart | None:
    answers = _answers(_session(candidate), candidate)
    if not answers:
        return None
    data = [
        {"application_id": row.application_id}
        | {key: getattr(row, key) for key in ANSWERS if getattr(row, key) is not None}
        for row in answers
    ]
    return ExportPart("self_identification", data)


@candidate_erasure_summary.connect
def _summary_cv_files(candidate: Candidate, **_: Any) -> str | None:
    count = len(_with_cv(_session(candidate), candidate))
    if not count:
        return None
    return (
        f"Their {count} CV file{'s' if count != 1 else ''}, deleted from storage, and the "
        "notes they wrote when applying."
    )


@candidate_erasure_summary.connect
def _summary_self_identification(candidate: Candidate, **_: Any) -> str | None:
    if not _answers(_session(candidate), candidate):
        return None
    return "Their voluntary self-identification answers."


@candidate_erasing.connect
def _erase(candidate: Candidate, *, session: Session, **_: Any) -> None:
    for application in _with_cv(session, candidate):
        stored: StoredFile = application.cv_file
        application.cv_file = None
        files.delete(session, stored)
    for application in candidate.applications:
        # The note they wrote when applying speaks of them in their own words.
        application.cover_note = ""
    ids = select(Application.id).where(Application.candidate_id == candidate.id)
    session.execute(
        delete(SelfIdentification).where(SelfIdentification.application_id.in_(ids)),
        execution_options={"synchronize_session": False},
    )
    session.flush()
