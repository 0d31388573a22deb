"""Two transactions changing one application's funnel at once (a decision to offer while the
application moves forward), with two real connections: the second waits for the first to
commit, then rebuilds the rows from both, rather than failing on a duplicate row.

The data is really committed, so the test builds its own team and deletes it afterwards.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, Candidate, StageVisit
from interviewer.catalog.models import Level
from interviewer.plans.models import Job, JobStatus, PlanStage, StageType
from interviewer.reports import funnel_rows
from interviewer.reports.models import FunnelApplication, FunnelReach
from interviewer.scorecards.models import Decision, DecisionOutcome
from tests.conftest import delete_committed_team, postgres_engine_or_skip

#: How long the first writer keeps its transaction open after writing its rows.
HOLD_SECONDS = 0.5
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def committed(app):
    engine = postgres_engine_or_skip(app, "two writers cannot rebuild one application at once")
    key = uuid.uuid4().hex[:8]
    with app.app_context(), Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        job = Job(
            team=team,
            level=Level(team=team, name="Senior", position=1),
            title="Backend",
            slug=f"backend-{key}",
            status=JobStatus.OPEN,
        )
        stage_type = StageType(team=team, key="screen", name="Screen")
        first, second = (
            PlanStage(team=team, job=job, stage_type=stage_type, position=n, name=f"Screen {n}")
            for n in (1, 2)
        )
        candidate = Candidate(team=team, name="Ada", email=f"ada-{key}@example.org")
        application = Application(
            team=team, candidate=candidate, job=job, current_stage=first, created_at=DAY
        )
        session.add_all([team, second, application])
        session.flush()
        session.add(
            StageVisit(
                team=team, application=application, job_id=job.id, plan_stage=first, entered_at=DAY
            )
        )
        session.commit()
        ids = {"team": team.id, "application": application.id}
    yield engine, ids
    delete_committed_team(engine, ids["team"])


def rows(session: Session, team_id: int):
    apps, reach = FunnelApplication.__table__.c, FunnelReach.__table__.c
    return (
        session.execute(
            select(apps.application_id, apps.offered, apps.exit_stage_id).where(
                apps.team_id == team_id
            )
        ).all(),
        sorted(
            session.execute(
                select(reach.plan_stage_id, reach.went_on).where(reach.team_id == team_id)
            ).all()
        ),
    )


def test_a_decision_and_a_move_at_once_both_count(app, committed):
    engine, ids = committed
    written = threading.Event()
    outcomes: dict[str, str] = {}

    def decide() -> None:
        with app.app_context(), Session(engine) as session:
            try:
                application = session.get(Application, ids["application"])
                session.add(
                    Decision(
                        team_id=ids["team"],
                        application=application,
                        outcome=DecisionOutcome.OFFER,
                        rationale="Strong on every skill.",
                    )
                )
                session.flush()
                written.set()
                time.sleep(HOLD_SECONDS)
                session.commit()
                outcomes["decide"] = "ok"
            except Exception as error:  # a crash is an outcome this test must show
                written.set()
                outcomes["decide"] = repr(error)

    def advance() -> None:
        written.wait(timeout=10)
        with app.app_context(), Session(engine) as session:
            try:
                application = session.get(Application, ids["application"])
                pipeline.move(session, application, "advance", None, now=DAY)
                session.commit()
                outcomes["advance"] = "ok"
            except Exception as error:
                outcomes["advance"] = repr(error)

    threads = [threading.Thread(target=decide), threading.Thread(target=advance)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"decide": "ok", "advance": "ok"}
    with app.app_context(), Session(engine) as session:
        kept = rows(session, ids["team"])
        funnel_rows.refresh(session, ids["team"])
        assert kept == rows(session, ids["team"])
        session.rollback()
    # Both changes count: the offer, and the second stage reached after the first.
    per_application, per_stage = kept
    assert [tuple(row) for row in per_application] == [(ids["application"], True, None)]
    assert [went_on for _, went_on in per_stage] == [True, True]
