"""Coverage: does the interview plan assess every skill the job's level expects?"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from interviewer.catalog.models import Expectation, Skill
from interviewer.plans.models import Job, PlanStage

#: A skill expected at this proficiency or above should be assessed by two stages or more.
DEEP_PROFICIENCY = 3


@dataclass
class CoverageRow:
    skill: Skill
    proficiency: int
    #: Ids of the stages that assess the skill, in plan order.
    stage_ids: list[int]

    @property
    def covered(self) -> bool:
        return bool(self.stage_ids)

    @property
    def thin(self) -> bool:
        """Expected deeply but assessed by one stage only."""
        return self.proficiency >= DEEP_PROFICIENCY and len(self.stage_ids) == 1


@dataclass
class Coverage:
    """The coverage matrix of one job (expected skills x plan stages) and its findings."""

    stages: list[PlanStage]
    rows: list[CoverageRow]
    limit_minutes: int
    #: Focus skills that the level does not expect (shown, not an error).
    unexpected_skills: list[Skill] = field(default_factory=list)

    @property
    def expected(self) -> dict[int, int]:
        """The proficiency the level expects, by skill id."""
        return {row.skill.id: row.proficiency for row in self.rows}

    @property
    def uncovered_skills(self) -> list[Skill]:
        return [row.skill for row in self.rows if not row.covered]

    @property
    def thin_skills(self) -> list[Skill]:
        return [row.skill for row in self.rows if row.thin]

    @property
    def stages_without_focus(self) -> list[PlanStage]:
        return [stage for stage in self.stages if not stage.focus_skills]

    @property
    def total_minutes(self) -> int:
        return sum(stage.duration_minutes for stage in self.stages)

    @property
    def over_time(self) -> bool:
        return self.total_minutes > self.limit_minutes

    @property
    def complete(self) -> bool:
        """True when no expected skill is left unassessed (the condition to open the job)."""
        return not self.uncovered_skills

    @property
    def findings(self) -> list[str]:
        """Every problem in plain words, most serious first."""
        messages = []
        if self.uncovered_skills:
            names = ", ".join(skill.name for skill in self.uncovered_skills)
            messages.append(f"No stage assesses: {names}.")
        if thin := self.thin_skills:
            names = ", ".join(skill.name for skill in thin)
            count = "1 skill is" if len(thin) == 1 else f"{len(thin)} skills are"
            messages.append(
                f"{count} expected at proficiency {DEEP_PROFICIENCY}+ but assessed by one "
                f"stage only: {names}; add {'it' if len(thin) == 1 else 'each'} to another stage."
            )
        if idle := self.stages_without_focus:
            names = ", ".join(f"“{stage.name}”" for stage in idle)
            count = "1 stage has" if len(idle) == 1 else f"{len(idle)} stages have"
            messages.append(f"{count} no focus skill: {names}.")
        if self.over_time:
            messages.append(
                f"The plan takes {self.total_minutes / 60:.1f} h, over the team's limit "
                f"of {self.limit_minutes / 60:.1f} h."
            )
        return messages


def coverage_for(session: Session, job: Job) -> Coverage:
    """The coverage of ``job``'s plan against its level's expectations (two queries)."""
    expectations = session.scalars(
        select(Expectation)
        .where(
            Expectation.team_id == job.team_id,
            Expectation.level_id == job.level_id,
            Expectation.proficiency >= 1,
        )
        .options(joinedload(Expectation.skill))
    ).all()
    stages = session.scalars(
        select(PlanStage)
        .where(PlanStage.team_id == job.team_id, PlanStage.job_id == job.id)
        .options(selectinload(PlanStage.focus_skills), joinedload(PlanStage.stage_type))
        .order_by(PlanStage.position)
    ).all()
    expectations = sorted(expectations, key=lambda e: (-e.proficiency, e.skill.name))
    expected_ids = {e.skill_id for e in expectations}
    rows = [
        CoverageRow(
            skill=expectation.skill,
            proficiency=expectation.proficiency,
            stage_ids=[
                stage.id
                for stage in stages
                if any(skill.id == expectation.skill_id for skill in stage.focus_skills)
            ],
        )
        for expectation in expectations
    ]
    unexpected = {
        skill.id: skill
        for stage in stages
        for skill in stage.focus_skills
        if skill.id not in expected_ids
    }
    return Coverage(
        stages=list(stages),
        rows=rows,
        limit_minutes=job.team.max_plan_minutes,
        unexpected_skills=sorted(unexpected.values(), key=lambda s: s.name),
    )
