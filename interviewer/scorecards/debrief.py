"""The debrief of an application: every submitted rating per skill and stage against the job
level's bar, the scorecards still missing, the recommendation tally and the level fit.

``build_debrief`` loads an application's evidence in a fixed number of queries; the level
fit rule itself lives in ``level_fit`` and works on plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from interviewer.auth.models import User
from interviewer.candidates.models import Application
from interviewer.catalog.models import Expectation, Level, Skill
from interviewer.db import utcnow
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scorecards import queries
from interviewer.scorecards.level_fit import DISAGREEMENT, LevelBar, LevelFit, level_fit
from interviewer.scorecards.models import (
    RATING_LABELS,
    Decision,
    Rating,
    Scorecard,
    ScorecardState,
)

#: What the debrief needs of an application, loaded with it.
APPLICATION_LOAD = (
    joinedload(Application.candidate),
    joinedload(Application.current_stage),
    joinedload(Application.job).joinedload(Job.level),
    # A plan has a handful of stages of a few skills each: joined, not a statement per level.
    joinedload(Application.job).joinedload(Job.stages).joinedload(PlanStage.focus_skills),
)


@dataclass(frozen=True)
class Entry:
    """One interviewer's rating of one skill, from a submitted scorecard."""

    interviewer: str
    score: int | None
    evidence: str
    #: The scorecard's version: above 1 once amended.
    version: int

    @property
    def label(self) -> str:
        return RATING_LABELS.get(self.score, "Not assessed")


@dataclass
class SkillRow:
    """One skill of the grid: its bar at the job's level and its ratings per stage."""

    skill: Skill
    #: The job level's proficiency (0 = not expected) and its rubric anchor.
    expected: int
    anchor: str
    #: Plan stage ids that assess the skill.
    focus_stage_ids: set[int]
    #: Plan stage id -> ratings given in that stage.
    cells: dict[int, list[Entry]]
    estimate: Fraction | None = None

    @property
    def scores(self) -> list[int]:
        return [e.score for cell in self.cells.values() for e in cell if e.score is not None]

    @property
    def mean(self) -> Fraction | None:
        scores = self.scores
        return Fraction(sum(scores), len(scores)) if scores else None

    @property
    def spread(self) -> int | None:
        scores = self.scores
        return max(scores) - min(scores) if scores else None

    @property
    def disagrees(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT


@dataclass(frozen=True)
class Missing:
    """A panel member of a past interview without a submitted scorecard."""

    interviewer: User
    stage: PlanStage
    interview: Interview
    #: "draft" or "not started".
    state: str

    def __str__(self) -> str:
        return f"{self.interviewer.name} ({self.stage.name}, {self.state})"


@dataclass(frozen=True)
class TallyLine:
    score: int | None
    label: str
    names: list[str]


@dataclass
class Debrief:
    application: Application
    level: Level
    stages: list[PlanStage]
    rows: list[SkillRow]
    #: Submitted scorecards with their stage, in plan order.
    scorecards: list[tuple[PlanStage, Scorecard]]
    missing: list[Missing]
    #: Interviews still to happen with their stage, soonest first.
    upcoming: list[tuple[PlanStage, Interview]]
    tally: list[TallyLine]
    decisions: list[Decision]
    level_fit: LevelFit


def _interviews(session: Session, application: Application) -> list[Interview]:
    return session.scalars(
        select(Interview)
        .where(
            Interview.team_id == application.team_id,
            Interview.application_id == application.id,
        )
        .order_by(Interview.starts_at)
    ).all()


def missing_scorecards(
    session: Session, application: Application, now: datetime | None = None
) -> list[Missing]:
    """The scorecards still owed (``queries``) for the application's interviews that are over,
    interview by interview, each by interviewer name (one query)."""
    owed = queries.owed_scorecards(
        session,
        team_id=application.team_id,
        application_ids=[application.id],
        ended_by=now or utcnow(),
    )
    stages = {stage.id: stage for stage in application.job.stages}
    owed.sort(key=lambda o: (o.interview.starts_at, o.interview.id, o.user.name))
    return [
        Missing(
            interviewer=o.user,
            stage=stages[o.interview.plan_stage_id],
            interview=o.interview,
            state="draft" if o.draft else "not started",
        )
        for o in owed
    ]


def _ladder(session: Session, team_id: int) -> list[Level]:
    return (
        session.scalars(
            select(Level)
            .where(Level.team_id == team_id)
            .order_by(Level.position, Level.id)
            .options(joinedload(Level.expectations).joinedload(Expectation.skill))
        )
        .unique()
        .all()
    )


def _tally(scorecards: Sequence[tuple[PlanStage, Scorecard]]) -> list[TallyLine]:
    """Who recommended what, strong no to strong yes, then any without a recommendation."""

    def names(score: int | None) -> list[str]:
        return [
            f"{s.interviewer.name} ({stage.name})"
            for stage, s in scorecards
            if s.recommendation == score
        ]

    lines = [
        TallyLine(score, label, names(score)) for score, label in sorted(RATING_LABELS.items())
    ]
    unrated = names(None)
    if unrated:
        lines.append(TallyLine(None, "No recommendation", unrated))
    return lines


def _rows(
    level: Level, stages: Sequence[PlanStage], scorecards: Sequence[Scorecard]
) -> list[SkillRow]:
    """Skills the level expects (highest bar first), then other focus or rated skills."""
    rows: dict[int, SkillRow] = {}
    expected = sorted(
        (e for e in level.expectations if e.proficiency >= 1),
        key=lambda e: (-e.proficiency, e.skill.name),
    )
    for expectation in expected:
        rows[expectation.skill_id] = SkillRow(
            expectation.skill, expectation.proficiency, expectation.description, set(), {}
        )
    others: dict[int, Skill] = {}
    for stage in stages:
        for skill in stage.focus_skills:
            if skill.id not in rows:
                others[skill.id] = skill
    for scorecard in scorecards:
        for rating in scorecard.ratings:
            if rating.skill_id not in rows:
                others[rating.skill_id] = rating.skill
    for skill in sorted(others.values(), key=lambda s: s.name):
        rows[skill.id] = SkillRow(skill, 0, "", set(), {})
    for stage in stages:
        for skill in stage.focus_skills:
            rows[skill.id].focus_stage_ids.add(stage.id)
    return list(rows.values())


def build_debrief(
    session: Session, application: Application, now: datetime | None = None
) -> Debrief:
    """Everything known about ``application`` (loaded with ``APPLICATION_LOAD``), per skill.

    Only submitted scorecards count as evidence (also of an interview cancelled since); drafts
    are listed as missing. The number of queries does not depend on how many interviews,
    scorecards or ratings there are.
    """
    job = application.job
    stages = list(job.stages)
    stage_by_id = {stage.id: stage for stage in stages}
    ladder = _ladder(session, application.team_id)
    level = next(level for level in ladder if level.id == job.level_id)
    interviews = _interviews(session, application)
    scorecards = (
        session.scalars(
            select(Scorecard)
            .where(
                Scorecard.team_id == application.team_id,
                Scorecard.application_id == application.id,
            )
            .options(
                joinedload(Scorecard.interviewer),
                joinedload(Scorecard.ratings).joinedload(Rating.skill),
            )
        )
        .unique()
        .all()
    )
    decisions = session.scalars(
        select(Decision)
        .where(Decision.team_id == application.team_id, Decision.application_id == application.id)
        .options(joinedload(Decision.decided_by))
        .order_by(Decision.created_at.desc(), Decision.id.desc())
    ).all()

    stage_of = {interview.id: interview.plan_stage_id for interview in interviews}
    submitted = [
        s
        for s in scorecards
        if s.state is ScorecardState.SUBMITTED and stage_of.get(s.interview_id) in stage_by_id
    ]
    submitted.sort(
        key=lambda s: (stage_by_id[stage_of[s.interview_id]].position, s.interviewer.name)
    )

    rows = _rows(level, stages, submitted)
    by_skill = {row.skill.id: row for row in rows}
    for scorecard in submitted:
        stage_id = stage_of[scorecard.interview_id]
        for rating in scorecard.ratings:
            entry = Entry(
                scorecard.interviewer.name, rating.score, rating.evidence, scorecard.version
            )
            by_skill[rating.skill_id].cells.setdefault(stage_id, []).append(entry)

    bars = [
        LevelBar(rung.name, {e.skill.name: e.proficiency for e in rung.expectations})
        for rung in ladder
    ]
    fit = level_fit(bars, level.name, {row.skill.name: row.scores for row in rows})
    for row in rows:
        row.estimate = fit.estimates.get(row.skill.name)

    now = now or utcnow()
    with_stages = [(stage_by_id[stage_of[s.interview_id]], s) for s in submitted]
    return Debrief(
        application=application,
        level=level,
        stages=stages,
        rows=rows,
        scorecards=with_stages,
        missing=missing_scorecards(session, application, now),
        upcoming=[
            (stage_by_id[i.plan_stage_id], i)
            for i in interviews
            if i.ends_at > now and i.status is not InterviewStatus.CANCELLED
        ],
        tally=_tally(with_stages),
        decisions=list(decisions),
        level_fit=fit,
    )
