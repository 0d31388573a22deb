"""Two forms with one email sent to one job at the same moment, with two real connections:
one application is made, the other person reads that they applied already, and the
losing CV leaves no file behind.

The data is really committed, so the test builds its own team and deletes it afterwards.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates import applying
from interviewer.candidates.models import Application
from interviewer.catalog.models import Level
from interviewer.files.models import StoredFile
from interviewer.plans.models import Job, JobStatus, KitVersion, PlanStage, StageType
from tests import apply_support
from tests.conftest import delete_committed_team, postgres_engine_or_skip

#: How long the first application keeps its transaction open after inserting its rows.
HOLD_SECONDS = 0.5


@pytest.fixture
def committed(app):
    engine = postgres_engine_or_skip(app, "two applications cannot insert at the same time")
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        job = Job(
            team=team,
            level=Level(team=team, name="Senior", position=1),
            title="Backend",
            slug=f"backend-{key}",
            status=JobStatus.OPEN,
        )
        stage = PlanStage(
            team=team,
            job=job,
            stage_type=StageType(team=team, key="screen", name="Screen"),
            position=1,
            name="Screen",
        )
        stage.kit_versions.append(KitVersion(team=team, number=1))
        session.add_all([team, stage])
        session.commit()
        ids = {"team": team.id, "job": job.id}
    yield engine, ids
    delete_committed_team(engine, ids["team"])


def test_two_applications_of_one_email_at_once_make_one(app, committed, monkeypatch):
    engine, ids = committed
    barrier = threading.Barrier(2)
    checked = threading.local()
    original = applying.already_applied

    def already_applied_then_meet(session, job, email):
        found = original(session, job, email)
        if not getattr(checked, "done", False):
            checked.done = True
            barrier.wait(timeout=10)  # both have seen no application: their inserts collide
        return found

    monkeypatch.setattr(applying, "already_applied", already_applied_then_meet)
    outcomes: list[str] = []

    def attempt(delay: float) -> None:
        with app.app_context(), Session(engine) as session:
            try:
                job = session.get(Job, ids["job"])
                applying.submit_application(
                    session,
                    job,
                    applying.ApplicationInput(
                        name="Ada", email="ada.race@example.org", timezone="UTC"
                    ),
                    applying.Upload("cv.pdf", apply_support.PDF),
                    max_cv_bytes=10**6,
                )
                time.sleep(delay)
                session.commit()
                outcomes.append("applied")
            except applying.AlreadyApplied as refusal:
                session.rollback()
                outcomes.append(str(refusal))
            except Exception as error:  # a crash is an outcome this test must show
                session.rollback()
                outcomes.append(repr(error))

    threads = [threading.Thread(target=attempt, args=(HOLD_SECONDS * n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        "You have already applied to Backend with ada.race@example.org.",
        "applied",
    ]
    with Session(engine) as session:
        applications = session.scalar(
            select(func.count()).select_from(Application).where(Application.team_id == ids["team"])
        )
        keys = session.scalars(
            select(StoredFile.storage_key).where(StoredFile.team_id == ids["team"])
        ).all()
    assert applications == 1
    on_disk = [p for p in (Path(app.config["FILES_DIR"]) / str(ids["team"])).glob("*")]
    assert [path.name for path in on_disk] == [key.split("/")[1] for key in keys]
