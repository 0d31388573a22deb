"""Build the demo team: people and their availability, the catalogue, jobs, plans and kits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.audit import record
from interviewer.auth.models import Role, Team, User
from interviewer.auth.services import create_user
from interviewer.catalog.models import Expectation, Level, Skill, SkillKind
from interviewer.plans.models import (
    EmploymentType,
    Job,
    JobStatus,
    KitItem,
    KitVersion,
    PlanStage,
    StageType,
    Workplace,
)
from interviewer.plans.services import ensure_team_defaults
from interviewer.scheduling.models import Availability, AvailabilityException
from interviewer.seed.catalog_data import (
    DAY_OFF,
    LEVELS,
    MATRIX,
    SKILLS,
    TEAM,
    USERS,
    WORK_HOURS,
    WORK_WEEK,
)
from interviewer.seed.jobs_data import DRAFT_JOB, JOBS, KIT_QUESTIONS, RUBRIC


@dataclass
class Demo:
    """The demo team under construction, with its rows by key for the later builders."""

    session: Session
    now: datetime
    team: Team
    users: dict[str, User] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    levels: dict[str, Level] = field(default_factory=dict)
    #: (level key, skill name) -> the matrix cell
    matrix: dict[tuple[str, str], Expectation] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def manager(self) -> User:
        return next(user for user in self.users.values() if user.role is Role.HIRING_MANAGER)

    def audit(self, actor: User | None, action: str, subject: Any, when: datetime, **data: Any):
        """Record an audit event dated when it happened in the demo's story."""
        self.session.flush()
        event = record(
            self.session, team_id=self.team.id, actor=actor, action=action, subject=subject, **data
        )
        event.created_at = when


def build(session: Session, now: datetime, password: str) -> Demo:
    """Add the team with its people, skills, levels, matrix and jobs; return them by key."""
    team = Team(name=TEAM["name"], slug=TEAM["slug"], timezone=TEAM["timezone"])
    session.add(team)
    session.flush()
    ensure_team_defaults(session, team)
    demo = Demo(session=session, now=now, team=team)
    _add_people(demo, password)
    _add_catalogue(demo)
    stage_types = {
        stage_type.key: stage_type
        for stage_type in session.scalars(select(StageType).where(StageType.team_id == team.id))
    }
    for spec in JOBS:
        demo.jobs[spec["key"]] = _add_job(demo, spec, stage_types)
    _add_draft_job(demo)
    session.flush()
    return demo


def _add_people(demo: Demo, password: str) -> None:
    start, end = (time.fromisoformat(value) for value in WORK_HOURS)
    for key, name, email, role, timezone, interviews in USERS:
        user = create_user(
            demo.session,
            team=demo.team,
            email=email,
            name=name,
            password=password,
            role=role,
            timezone=timezone,
        )
        demo.users[key] = user
        if interviews:
            demo.session.add_all(
                Availability(team=demo.team, user=user, weekday=day, start_time=start, end_time=end)
                for day in WORK_WEEK
            )
    key, days, note = DAY_OFF
    demo.session.add(
        AvailabilityException(
            team=demo.team, user=demo.users[key], on_date=next_weekday(demo.today, days), note=note
        )
    )


def next_weekday(today: date, days: int) -> date:
    """The first Monday-to-Friday date at least ``days`` after ``today``."""
    day = today + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _add_catalogue(demo: Demo) -> None:
    for name, kind, category, description in SKILLS:
        demo.skills[name] = Skill(
            team=demo.team,
            name=name,
            kind=SkillKind(kind),
            category=category,
            description=description,
        )
    for index, (key, name, position, low, high) in enumerate(LEVELS):
        level = Level(
            team=demo.team,
            name=name,
            position=position,
            salary_min=Decimal(low),
            salary_max=Decimal(high),
            salary_currency="USD",
        )
        demo.levels[key] = level
        for skill_name, cells in MATRIX.items():
            proficiency, description = cells[index]
            demo.matrix[key, skill_name] = Expectation(
                team=demo.team,
                level=level,
                skill=demo.skills[skill_name],
                proficiency=proficiency,
                description=description,
            )
    demo.session.add_all([*demo.skills.values(), *demo.levels.values()])


def _add_job(demo: Demo, spec: dict, stage_types: dict[str, StageType]) -> Job:
    posted_on = demo.today - timedelta(days=spec["posted_days_ago"])
    low, high = spec["salary"]
    job = Job(
        team=demo.team,
        level=demo.levels[spec["level"]],
        hiring_manager=demo.manager,
        title=spec["title"],
        slug=slugify(spec["title"]),
        description=spec["description"],
        location=spec["location"],
        workplace=Workplace(spec["workplace"]),
        employment_type=EmploymentType.EMPLOYEE,
        salary_min=Decimal(low),
        salary_max=Decimal(high),
        salary_currency="USD",
        posted_on=posted_on,
        closes_on=demo.today + timedelta(days=spec["closes_in_days"]),
        status=JobStatus.OPEN,
        created_at=_at(posted_on - timedelta(days=5)),
    )
    for position, (type_key, name, minutes, panel, skills, expect) in enumerate(spec["stages"], 1):
        stage = PlanStage(
            team=demo.team,
            stage_type=stage_types[type_key],
            position=position,
            name=name,
            duration_minutes=minutes,
            panel_size=panel,
            focus_skills=[demo.skills[skill] for skill in skills],
        )
        kit = KitVersion(
            team=demo.team,
            number=1,
            what_to_expect=expect,
            created_by=demo.manager,
            created_at=job.created_at,
        )
        for skill in skills:
            questions, probe = KIT_QUESTIONS[type_key, skill]
            anchor = demo.matrix[spec["level"], skill].description
            kit.items.append(
                KitItem(
                    team=demo.team,
                    skill=demo.skills[skill],
                    questions=questions,
                    probe=probe,
                    rubric=RUBRIC.format(anchor=anchor),
                )
            )
        stage.kit_versions.append(kit)
        job.stages.append(stage)
    demo.session.add(job)
    demo.audit(demo.manager, "job.published", job, _at(posted_on), title=job.title)
    return job


def _add_draft_job(demo: Demo) -> None:
    """A contract posting with its length, salary and dates missing and biased wording."""
    demo.session.add(
        Job(
            team=demo.team,
            level=demo.levels[DRAFT_JOB["level"]],
            hiring_manager=demo.manager,
            title=DRAFT_JOB["title"],
            slug=slugify(DRAFT_JOB["title"]),
            description=DRAFT_JOB["description"],
            location=DRAFT_JOB["location"],
            workplace=Workplace(DRAFT_JOB["workplace"]),
            employment_type=EmploymentType.CONTRACT,
            contract_months=None,
            status=JobStatus.DRAFT,
        )
    )


def slugify(title: str) -> str:
    words = "".join(char if char.isalnum() else " " for char in title.lower()).split()
    return "-".join(words)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
