"""Two managers booking whole loops that share an interviewer at the same moment, through a
live server on PostgreSQL: one loop is booked whole, the other not at all.

The data is really committed, so the test builds its own team and deletes it afterwards.
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import time as clock

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.catalog.models import Level
from interviewer.plans.models import Job, KitVersion, PlanStage, StageType
from interviewer.scheduling.models import Availability, Interview
from tests.conftest import delete_committed_team, postgres_engine_or_skip
from tests.factories import _PASSWORD_HASH, PASSWORD
from tests.server_process import ServerProcess, Visitor, gunicorn

STAGES = ("Screen", "Live coding", "Final")
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


@pytest.fixture
def committed(app):
    """Two managers, Dana (the only interviewer, free every day), two candidates applying to
    a three-stage plan: really committed."""
    engine = postgres_engine_or_skip(app, "two loop bookings cannot run at the same time")
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        maya, max_, dana = (
            User(
                team=team,
                email=f"{name}-{key}@example.com",
                name=name.title(),
                password_hash=_PASSWORD_HASH,
                role=role,
                timezone="UTC",
            )
            for name, role in (
                ("maya", Role.HIRING_MANAGER),
                ("max", Role.HIRING_MANAGER),
                ("dana", Role.INTERVIEWER),
            )
        )
        job = Job(
            team=team,
            level=Level(team=team, name="Senior", position=1),
            title="Backend",
            slug=f"backend-{key}",
        )
        stages = []
        for position, name in enumerate(STAGES, start=1):
            stage = PlanStage(
                team=team,
                job=job,
                stage_type=StageType(team=team, key=f"s{position}", name=name),
                position=position,
                name=name,
                panel_size=1,
            )
            stage.kit_versions.append(KitVersion(team=team, number=1))
            stages.append(stage)
        applications = [
            Application(
                team=team,
                job=job,
                current_stage=stages[0],
                candidate=Candidate(team=team, name=f"Candidate {n}", email=f"c{n}-{key}@ex.org"),
            )
            for n in (1, 2)
        ]
        session.add_all([team, maya, max_, dana, *stages, *applications])
        session.add_all(
            Availability(team=team, user=dana, weekday=day, start_time=clock(6), end_time=clock(20))
            for day in range(7)
        )
        session.commit()
        ids = {
            "team": team.id,
            "managers": [maya.email, max_.email],
            "applications": [application.id for application in applications],
        }
    yield engine, ids
    delete_committed_team(engine, ids["team"])


def test_two_loops_sharing_an_interviewer_at_once_book_one_whole_and_nothing_of_the_other(
    committed, tmp_path
):
    engine, ids = committed
    url = engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(2)
    answers: dict[int, object] = {}

    with ServerProcess(gunicorn, url, log=tmp_path / "server.log") as server:

        def book(email: str, application_id: int) -> None:
            visitor = Visitor(server.url)
            visitor.sign_in(email, PASSWORD)
            page = visitor.get(f"/applications/{application_id}/loop")
            form = page.body[page.body.index(f'action="/applications/{application_id}/loop"') :]
            fields = dict(HIDDEN.findall(form[: form.index("</form>")]))
            fields.pop("csrf_token", None)
            barrier.wait(timeout=60)
            answers[application_id] = visitor.post(f"/applications/{application_id}/loop", fields)

        threads = [
            threading.Thread(target=book, args=pair)
            for pair in zip(ids["managers"], ids["applications"], strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        assert not any(thread.is_alive() for thread in threads), "a booking hung"

    statuses = sorted(answer.status for answer in answers.values())
    assert statuses == [200, 302], server.output[-2000:]
    refused = next(answer for answer in answers.values() if answer.status == 200)
    assert "cannot be booked any more, so nothing was booked" in refused.body
    assert "Dana already has an interview" in refused.body
    with Session(engine) as session:
        per_application = dict(
            session.execute(
                select(Interview.application_id, func.count())
                .where(Interview.team_id == ids["team"])
                .group_by(Interview.application_id)
            ).all()
        )
    assert sorted(per_application.values()) == [3]
