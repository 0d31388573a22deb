"""Write the demo's scorecards through the scorecard services: submitted ones with every
focus skill rated, and half-filled drafts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from interviewer.auth.models import User
from interviewer.scheduling.models import Interview
from interviewer.scorecards.models import RATING_LABELS
from interviewer.scorecards.services import (
    KitEntry,
    RatingInput,
    ScorecardInput,
    kit_entries,
    save_draft,
    scorecard_for,
    submit,
)
from interviewer.seed.pipeline_data import EVIDENCE, SPLIT_EVIDENCE, AppSpec
from interviewer.seed.setup import Demo

#: When after the interview's end a draft is saved, and a scorecard submitted.
DRAFT_AFTER = timedelta(minutes=20)
SUBMIT_AFTER = timedelta(hours=2)


def write_scorecards(
    demo: Demo, interview: Interview, panel: Sequence[User], spec: AppSpec, drafts: int
) -> None:
    """Each panel member's scorecard of a past interview; the last ``drafts`` seats' are drafts."""
    entries = kit_entries(demo.session, interview)
    for seat, user in enumerate(panel):
        ratings = {entry.skill.id: _rating(spec, entry.skill.name, seat) for entry in entries}
        if seat >= len(panel) - drafts:
            _draft(demo, interview, user, entries, ratings)
        else:
            _submit(demo, interview, user, entries, ratings)


def _rating(spec: AppSpec, skill: str, seat: int) -> RatingInput:
    split = spec.split is not None and spec.split[0] == skill
    if split:
        score = spec.split[1] if seat == 0 else spec.split[2]
    else:
        score = max(1, min(4, spec.score + (skill in spec.strong) - (skill in spec.weak)))
    return RatingInput(score, (SPLIT_EVIDENCE if split else EVIDENCE)[score])


def _draft(
    demo: Demo,
    interview: Interview,
    user: User,
    entries: Sequence[KitEntry],
    ratings: dict[int, RatingInput],
) -> None:
    """A draft with the first half of the focus skills rated, and nothing else yet."""
    rated = [entry.skill.id for entry in entries[: (len(entries) + 1) // 2]]
    data = ScorecardInput(ratings={skill_id: ratings[skill_id] for skill_id in rated})
    when = interview.ends_at + DRAFT_AFTER
    with demo.at(when):
        scorecard = scorecard_for(demo.session, interview, user, when)
        save_draft(
            demo.session, scorecard, data, entries=entries, expected_lock=0, actor=user, now=when
        )


def _submit(
    demo: Demo,
    interview: Interview,
    user: User,
    entries: Sequence[KitEntry],
    ratings: dict[int, RatingInput],
) -> None:
    """A submitted scorecard: every focus skill rated, the takeaways and a recommendation."""
    scores = {entry.skill.name: ratings[entry.skill.id].score for entry in entries}
    recommendation = max(1, min(4, round(sum(scores.values()) / len(scores))))
    best = max(scores, key=scores.__getitem__)
    worst = min(scores, key=scores.__getitem__)
    takeaways = (
        f"Strongest on {best}; weakest on {worst}. "
        f"Overall: {RATING_LABELS[recommendation].lower()}."
        if scores[best] != scores[worst]
        else f"Even across the focus skills: {RATING_LABELS[scores[best]].lower()} on each."
    )
    data = ScorecardInput(ratings, takeaways, recommendation)
    when = interview.ends_at + SUBMIT_AFTER
    with demo.at(when):
        scorecard = scorecard_for(demo.session, interview, user, when)
        submit(
            demo.session, scorecard, data, entries=entries, expected_lock=0, actor=user, now=when
        )
