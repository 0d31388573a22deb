"""Build the demo team through the services: people and their availability, the catalogue,
jobs with their plans and kits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from interviewer.auth.models import Role, Team, User
from interviewer.auth.services import create_user
from interviewer.candidates.sources import ensure_team_sources
from interviewer.catalog.matrix import save_matrix
from interviewer.catalog.models import Level, Skill
from interviewer.catalog.services import create_level, create_skill
from interviewer.plans.kits import KitText, rubric_anchors, save_kit
from interviewer.plans.models import Job, JobStatus
from interviewer.plans.services import change_status, ensure_team_defaults, save_job
from interviewer.plans.stages import add_stage
from interviewer.scheduling.availability import DAY_OFF as DAY_OFF_KIND
from interviewer.scheduling.availability import add_exception, add_window
from interviewer.seed.catalog_data import (
    DAY_OFF,
    LEVELS,
    MATRIX,
    SET_UP_DAYS_AGO,
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
    jobs: dict[str, Job] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def admin(self) -> User:
        return next(user for user in self.users.values() if user.role is Role.ADMIN)

    @property
    def manager(self) -> User:
        return next(user for user in self.users.values() if user.role is Role.HIRING_MANAGER)

    @contextmanager
    def at(self, when: datetime) -> Iterator[None]:
        """Date ``when`` the rows and audit events that the services add inside the block.

        The services stamp what they add with the clock; the demo's story took place over the
        weeks before ``now``, so its rows carry the times of the story instead.
        """
        session = self.session() if isinstance(self.session, scoped_session) else self.session

        def stamp(_session: Session, row: Any) -> None:
            if hasattr(row, "created_at") and row.created_at is None:
                row.created_at = when

        event.listen(session, "transient_to_pending", stamp)
        try:
            yield
        finally:
            event.remove(session, "transient_to_pending", stamp)


def build(session: Session, now: datetime, password: str) -> Demo:
    """Add the team with its people, skills, levels, matrix and jobs; return them by key."""
    set_up = _at(now.date() - timedelta(days=SET_UP_DAYS_AGO))
    # No service creates a team (``flask create-user`` adds one the same way).
    team = Team(name=TEAM["name"], slug=TEAM["slug"], timezone=TEAM["timezone"])
    demo = Demo(session=session, now=now, team=team)
    with demo.at(set_up):
        session.add(team)
        session.flush()
        ensure_team_defaults(session, team)
        ensure_team_sources(session, team.id)
        _add_people(demo, password)
        _add_catalogue(demo)
    for spec in JOBS:
        demo.jobs[spec["key"]] = _add_job(demo, spec)
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
            for weekday in WORK_WEEK:
                add_window(demo.session, user, weekday, start, end)
    key, days, note = DAY_OFF
    on_date = next_weekday(demo.today, days)
    add_exception(demo.session, demo.users[key], on_date, DAY_OFF_KIND, note=note, today=demo.today)


def next_weekday(today: date, days: int) -> date:
    """The first Monday-to-Friday date at least ``days`` after ``today``."""
    day = today + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _add_catalogue(demo: Demo) -> None:
    session, team_id, admin = demo.session, demo.team.id, demo.admin
    for name, kind, category, description in SKILLS:
        demo.skills[name] = create_skill(
            session,
            team_id=team_id,
            actor=admin,
            name=name,
            kind=kind,
            category=category,
            description=description,
        )
    for key, name, low, high in LEVELS:
        demo.levels[key] = create_level(
            session,
            team_id=team_id,
            actor=admin,
            name=name,
            salary_min=Decimal(low),
            salary_max=Decimal(high),
            salary_currency="USD",
        )
    values = {
        (demo.levels[key].id, demo.skills[skill].id): cells[index]
        for skill, cells in MATRIX.items()
        for index, (key, *_rest) in enumerate(LEVELS)
    }
    save_matrix(
        session,
        team_id=team_id,
        actor=admin,
        levels=demo.levels.values(),
        skills=demo.skills.values(),
        cells={},
        values=values,
    )


def _add_job(demo: Demo, spec: dict) -> Job:
    """An open job with its posting, plan and kits, written a few days before it was posted."""
    session, manager = demo.session, demo.manager
    posted_on = demo.today - timedelta(days=spec["posted_days_ago"])
    low, high = spec["salary"]
    level = demo.levels[spec["level"]]
    values = {
        "level_id": level.id,
        "title": spec["title"],
        "description": spec["description"],
        "location": spec["location"],
        "workplace": spec["workplace"],
        "employment_type": "employee",
        "salary_min": Decimal(low),
        "salary_max": Decimal(high),
        "salary_currency": "USD",
        "posted_on": posted_on,
        "closes_on": demo.today + timedelta(days=spec["closes_in_days"]),
        "hiring_manager_id": manager.id,
    }
    with demo.at(_at(posted_on - timedelta(days=5))):
        job = save_job(session, team=demo.team, actor=manager, values=values)
        for type_key, name, minutes, panel, skills, expect in spec["stages"]:
            stage = add_stage(
                session,
                job,
                manager,
                stage_type_key=type_key,
                name=name,
                duration_minutes=minutes,
                panel_size=panel,
                skill_ids=[demo.skills[skill].id for skill in skills],
            )
            anchors = rubric_anchors(session, level.id, [demo.skills[s].id for s in skills])
            items = {}
            for skill in skills:
                questions, probe = KIT_QUESTIONS[type_key, skill]
                skill_id = demo.skills[skill].id
                items[skill_id] = KitText(questions, probe, RUBRIC.format(anchor=anchors[skill_id]))
            save_kit(session, stage, manager, what_to_expect=expect, items=items)
    with demo.at(_at(posted_on)):
        change_status(session, job, JobStatus.OPEN, manager, today=posted_on)
    return job


def _add_draft_job(demo: Demo) -> None:
    """A contract posting with its length, salary and dates missing and biased wording."""
    values = {
        "level_id": demo.levels[DRAFT_JOB["level"]].id,
        "title": DRAFT_JOB["title"],
        "description": DRAFT_JOB["description"],
        "location": DRAFT_JOB["location"],
        "workplace": DRAFT_JOB["workplace"],
        "employment_type": "contract",
        "contract_months": 6,
        "hiring_manager_id": demo.manager.id,
    }
    with demo.at(demo.now - timedelta(days=1)):
        job = save_job(demo.session, team=demo.team, actor=demo.manager, values=values)
    # The service refuses a contract without its length; this draft keeps the gap on
    # purpose, for the posting checker (and the job's opening checks) to find.
    job.contract_months = None


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
