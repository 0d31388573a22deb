"""Two API clients booking one interviewer at the same moment, against a live server on
PostgreSQL: one booking is made, the other is refused with the schedule page's message.

The data is really committed, so the test builds its own team and deletes it afterwards.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.api import tokens
from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.catalog.models import Level
from interviewer.plans.models import Job, KitVersion, PlanStage, StageType
from interviewer.scheduling.models import Availability, Interview
from tests.conftest import delete_committed_team, postgres_engine_or_skip
from tests.server_process import ServerProcess, gunicorn


@pytest.fixture
def committed(app):
    """A manager with a token, Dana (free every day in UTC), two applications to a
    one-stage plan: really committed."""
    engine = postgres_engine_or_skip(app, "two bookings cannot run at the same time")
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        manager, dana = (
            User(
                team=team,
                email=f"{name}-{key}@example.com",
                name=name.title(),
                password_hash="x",
                role=role,
                timezone="UTC",
            )
            for name, role in (("maya", Role.HIRING_MANAGER), ("dana", Role.INTERVIEWER))
        )
        job = Job(
            team=team,
            level=Level(team=team, name="Senior", position=1),
            title="Backend",
            slug=f"backend-{key}",
        )
        stage = PlanStage(
            team=team,
            job=job,
            stage_type=StageType(team=team, key="live_coding", name="Live coding"),
            position=1,
            name="Live coding",
            panel_size=1,
        )
        stage.kit_versions.append(KitVersion(team=team, number=1))
        applications = [
            Application(
                team=team,
                job=job,
                candidate=Candidate(team=team, name=f"Candidate {n}", email=f"c{n}-{key}@ex.org"),
            )
            for n in (1, 2)
        ]
        session.add_all([team, manager, dana, stage, *applications])
        session.add_all(
            Availability(team=team, user=dana, weekday=day, start_time=clock(6), end_time=clock(20))
            for day in range(7)
        )
        session.flush()
        _token, raw = tokens.issue(
            session, manager, kind=tokens.PERSONAL, name="race", scopes=(tokens.READ, tokens.WRITE)
        )
        session.commit()
        ids = {
            "team": team.id,
            "dana": dana.id,
            "stage": stage.id,
            "applications": [application.id for application in applications],
            "token": raw,
        }
    yield engine, ids
    delete_committed_team(engine, ids["team"])


def _post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_two_api_bookings_of_one_interviewer_at_once_let_exactly_one_through(committed, tmp_path):
    engine, ids = committed
    starts_at = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
    starts_at += timedelta(days=2)
    barrier = threading.Barrier(2)
    outcomes: list[tuple[int, dict]] = []
    url = engine.url.render_as_string(hide_password=False)

    with ServerProcess(gunicorn, url, log=tmp_path / "server.log") as server:

        def book(application_id: int) -> None:
            body = {
                "application_id": application_id,
                "stage_id": ids["stage"],
                "starts_at": starts_at.isoformat().replace("+00:00", "Z"),
                "panel": [ids["dana"]],
            }
            barrier.wait(timeout=30)
            outcomes.append(_post(f"{server.url}/api/v1/interviews", ids["token"], body))

        threads = [threading.Thread(target=book, args=(i,)) for i in ids["applications"]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)

    statuses = sorted(status for status, _ in outcomes)
    assert statuses == [201, 409], outcomes
    refused = next(body for status, body in outcomes if status == 409)
    assert refused["detail"].startswith("Dana already has an interview")
    assert refused["detail"].endswith("with another candidate.")
    with Session(engine) as session:
        count = session.scalar(
            select(func.count()).select_from(Interview).where(Interview.team_id == ids["team"])
        )
    assert count == 1
