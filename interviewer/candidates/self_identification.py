"""Voluntary self-identification: the questions a team may ask on its apply form, the
answers kept apart from the application, and the counts reporting reads.

No page for the team shows a person's answers: only :func:`self_identification_counts`
reads them, and it gives totals.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates.models import Application, SelfIdentification

PREFER_NOT_TO_SAY = "Prefer not to say"
#: How the counts name a question left blank.
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Question:
    """One question: its key (the column of the answers), wording and answers."""

    key: str
    label: str
    answers: tuple[str, ...]


QUESTIONS: dict[str, Question] = {
    question.key: question
    for question in (
        Question(
            "gender",
            "Gender",
            ("Woman", "Man", "Non-binary", "Another gender", PREFER_NOT_TO_SAY),
        ),
        Question(
            "ethnicity",
            "Ethnicity",
            (
                "Asian",
                "Black",
                "Hispanic or Latino",
                "Middle Eastern or North African",
                "Indigenous",
                "White",
                "Two or more",
                "Another ethnicity",
                PREFER_NOT_TO_SAY,
            ),
        ),
        Question(
            "disability",
            "Disability",
            ("Yes, I have a disability", "No", PREFER_NOT_TO_SAY),
        ),
        Question(
            "veteran",
            "Veteran status",
            ("I am a veteran", "I am not a veteran", PREFER_NOT_TO_SAY),
        ),
    )
}


def asked_questions(team: Team) -> list[Question]:
    """The questions ``team`` chose to ask, in the catalogue's order."""
    chosen = {key.strip() for key in (team.self_identification_questions or "").split(",")}
    return [question for key, question in QUESTIONS.items() if key in chosen]


def record_answers(
    session: Session, application: Application, answers: dict[str, str | None]
) -> SelfIdentification | None:
    """Keep the answers given to the questions the team asks (an answer outside the list is
    dropped); nothing is kept when none was answered. Flushes."""
    asked = {question.key: question for question in asked_questions(application.team)}
    kept = {
        key: value for key, value in answers.items() if key in asked and value in asked[key].answers
    }
    if not kept:
        return None
    row = SelfIdentification(team_id=application.team_id, application_id=application.id, **kept)
    session.add(row)
    session.flush()
    return row


def self_identification_counts(
    session: Session, team_id: int, job_id: int | None = None
) -> dict[str, dict[str, int]]:
    """How many applications gave each answer, question by question (of one job with
    ``job_id``), for reports of adverse impact; never who gave which. Blank answers are
    counted under :data:`NOT_ANSWERED` among those who answered another question."""
    result: dict[str, dict[str, int]] = {}
    for key in QUESTIONS:
        column = getattr(SelfIdentification, key)
        query = (
            select(column, func.count())
            .where(SelfIdentification.team_id == team_id)
            .group_by(column)
        )
        if job_id is not None:
            query = query.join(
                Application, Application.id == SelfIdentification.application_id
            ).where(Application.job_id == job_id)
        result[key] = {answer or NOT_ANSWERED: count for answer, count in session.execute(query)}
    return result
