"""Two managers booking at once, with two real connections: one of them wins.

The data is really committed (each thread has its own connection and transaction), so this
test builds its own team and deletes it afterwards instead of using the rolled-back ``db``.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from datetime import time as clock

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.catalog.models import Level
from interviewer.extensions import db
from interviewer.plans.models import Job, KitVersion, PlanStage, StageType
from interviewer.scheduling import services
from interviewer.scheduling.models import Availability, Interview
from interviewer.scheduling.services import SchedulingConflict
from tests.conftest import delete_committed_team

NOW = datetime(2031, 3, 1, 12, tzinfo=UTC)
MONDAY_TEN = datetime(2031, 3, 17, 9, tzinfo=UTC)  # 10:00 in Berlin
#: How long each booking keeps its transaction open after its checks: without the row locks
#: the second booking's checks would run in that time, see nothing, and both would succeed.
HOLD_SECONDS = 0.5


@pytest.fixture
def engine(app):
    with app.app_context():
        return db.engine


@pytest.fixture
def committed(engine):
    """A team with two interviewers, two candidates and a one-stage plan, really committed."""
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        users = [
            User(
                team=team,
                email=f"{name}-{key}@example.com",
                name=name.title(),
                password_hash="x",
                role=Role.INTERVIEWER,
                timezone="Europe/Berlin",
            )
            for name in ("dana", "sam")
        ]
        level = Level(team=team, name="Senior", position=1)
        job = Job(team=team, level=level, title="Backend", slug=f"backend-{key}")
        stage_type = StageType(team=team, key="live_coding", name="Live coding")
        stage = PlanStage(
            team=team, job=job, stage_type=stage_type, position=1, name="Live coding", panel_size=1
        )
        stage.kit_versions.append(KitVersion(team=team, number=1))
        applications = [
            Application(
                team=team,
                job=job,
                candidate=Candidate(
                    team=team, name=f"Candidate {n}", email=f"c{n}-{key}@example.org"
                ),
            )
            for n in (1, 2)
        ]
        session.add_all([team, *users, stage, *applications])
        session.add_all(
            Availability(team=team, user=user, weekday=day, start_time=clock(9), end_time=clock(17))
            for user in users
            for day in range(5)
        )
        session.commit()
        ids = {
            "team": team.id,
            "users": [user.id for user in users],
            "stage": stage.id,
            "applications": [application.id for application in applications],
        }
    yield ids
    delete_committed_team(engine, ids["team"])


def race(engine, ids, bookings):
    """Run each (application id, user id, start) booking in its own thread and session.

    On PostgreSQL the threads meet once each has read what it books, so that the checks
    themselves collide. On SQLite a writer holds the write lock from its transaction's first
    statement (``interviewer.sqlite``), so there they meet before it, and queue for the lock.
    """
    barrier = threading.Barrier(len(bookings))
    meet_before_reading = engine.dialect.name == "sqlite"
    outcomes: list[str] = []

    def attempt(application_id: int, user_id: int, starts_at: datetime) -> None:
        if meet_before_reading:
            barrier.wait(timeout=10)
        with Session(engine) as session:
            try:
                application = session.get(Application, application_id)
                stage = session.get(PlanStage, ids["stage"])
                user = session.get(User, user_id)
                _ = application.candidate, stage.kit_versions
                if not meet_before_reading:
                    barrier.wait(timeout=10)
                services.schedule_interview(session, application, stage, starts_at, [user], now=NOW)
                time.sleep(HOLD_SECONDS)
                session.commit()
                outcomes.append("booked")
            except SchedulingConflict as conflict:
                session.rollback()
                outcomes.append(str(conflict))
            except Exception as error:  # a crash is an outcome this test must show
                session.rollback()
                outcomes.append(repr(error))

    threads = [threading.Thread(target=attempt, args=booking) for booking in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a booking hung"
    return outcomes


def interviews(engine, ids) -> int:
    with Session(engine) as session:
        return session.scalar(
            select(func.count()).select_from(Interview).where(Interview.team_id == ids["team"])
        )


def test_two_bookings_of_one_interviewer_at_once_let_exactly_one_through(engine, committed):
    dana = committed["users"][0]
    first, second = committed["applications"]

    outcomes = race(engine, committed, [(first, dana, MONDAY_TEN), (second, dana, MONDAY_TEN)])

    assert sorted(outcomes) == [
        "Dana already has an interview Mon 17 Mar, 10:00-11:00 (Berlin time) "
        "with another candidate.",
        "booked",
    ]
    assert interviews(engine, committed) == 1


def test_two_bookings_of_one_candidate_at_once_let_exactly_one_through(engine, committed):
    dana, sam = committed["users"]
    application = committed["applications"][0]

    outcomes = race(
        engine, committed, [(application, dana, MONDAY_TEN), (application, sam, MONDAY_TEN)]
    )

    assert "booked" in outcomes
    assert len([o for o in outcomes if o.startswith("Live coding is already scheduled")]) == 1
    assert interviews(engine, committed) == 1


def test_the_race_fixture_leaves_nothing_behind(engine):
    """Runs after the races: their teams were deleted (the rest of the suite starts clean)."""
    with Session(engine) as session:
        left = session.scalars(select(Team.slug).where(Team.slug.like("race-%"))).all()
    assert left == []
