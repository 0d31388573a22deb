"""Six months of past applications for the demo team, so that the reports have something
to say: a few hundred candidates who moved through the plans, were interviewed and scored,
and were turned down, withdrew or were hired.

``history_stories`` draws the stories, ``history_rows`` writes them in bulk. Everything is
closed and in the past, so the board, the dashboards and the open applications the demo
journeys use look as they did.
"""

from __future__ import annotations

from datetime import timedelta

from interviewer.candidates.consent import update_careers_settings
from interviewer.candidates.self_identification import asked_questions
from interviewer.seed import history_rows, history_stories
from interviewer.seed.catalog_data import USERS
from interviewer.seed.history_data import DAYS, HARSH, LENIENT, NOISY_SKILL, SLOW
from interviewer.seed.setup import Demo

#: The questions the demo team asks on its apply form, for the fairness report.
QUESTIONS = {"gender", "ethnicity"}


def build(demo: Demo) -> None:
    """Add the history to the demo team, after its current candidates."""
    _ask_questions(demo)
    history_rows.write(demo, history_stories.draw(demo))


def _ask_questions(demo: Demo) -> None:
    """The team asks gender and ethnicity (if it did not already), from before the history."""
    asked = {question.key for question in asked_questions(demo.team)}
    if asked >= QUESTIONS:
        return
    with demo.at(demo.now - timedelta(days=DAYS + 10)):
        update_careers_settings(
            demo.session,
            demo.team,
            notice=demo.team.privacy_notice or "",
            questions=asked | QUESTIONS,
            actor=demo.admin,
        )


def summary() -> list[str]:
    """What the history gives the reports to find, for the command's footer."""
    names = {key: name for key, name, *_rest in USERS}
    return [
        f"Six months of history for the reports: {names[LENIENT]} rates above colleagues and "
        f"{names[HARSH]} below, {names[SLOW]} often scores days late, and the panels' "
        f"ratings of {NOISY_SKILL} disagree.",
    ]
