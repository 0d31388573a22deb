"""The demo's pools: two stage types with pools, and one trainee part of the way through."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from interviewer.auth.models import User
from interviewer.candidates.models import Application, Candidate
from interviewer.scheduling.models import PanelMember
from interviewer.scheduling.pool_models import (
    InterviewerPool,
    InterviewTrainee,
    PoolMember,
    TrainingPhase,
)
from interviewer.seed import DEMO_PASSWORD, seed_demo

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def test_the_demo_has_pools_and_a_trainee_with_one_shadow_interview_held(client, db):
    with time_machine.travel(NOW, tick=False):
        assert seed_demo(db.session, now=NOW).created
        db.session.commit()

        pools = db.session.scalars(select(InterviewerPool)).all()
        assert sorted(pool.stage_type.key for pool in pools) == ["behavioral", "system_design"]
        trainees = db.session.scalars(
            select(PoolMember).where(PoolMember.phase != TrainingPhase.QUALIFIED)
        ).all()
        assert [(m.user.name, m.phase) for m in trainees] == [
            ("Marcus Johnson", TrainingPhase.SHADOW)
        ]
        marcus = trainees[0].user
        seats = db.session.scalars(
            select(InterviewTrainee).where(InterviewTrainee.user_id == marcus.id)
        ).all()
        held = [s for s in seats if s.interview.ends_at <= NOW]
        assert len(held) == 1 and held[0].interview.status.value == "scheduled"
        assert (
            db.session.scalar(
                select(PanelMember).where(
                    PanelMember.interview_id == held[0].interview_id,
                    PanelMember.user_id == marcus.id,
                )
            )
            is None
        )

        daniel = db.session.scalar(select(User).where(User.name == "Daniel Weber"))
        client.post("/login", data={"email": daniel.email, "password": DEMO_PASSWORD})
        html = client.get("/team/pools").get_data(as_text=True)
        assert "1 of 2 shadow interviews held" in html
        assert "No pool: every active interviewer can fill seats." in html
        page = client.get(f"/interviews/{held[0].interview_id}").get_data(as_text=True)
        assert "Marcus Johnson" in page.split("Trainees", 1)[1]


def test_the_demo_offers_whole_loops_for_an_application_with_stages_left(client, db):
    with time_machine.travel(NOW, tick=False):
        assert seed_demo(db.session, now=NOW).created
        db.session.commit()
        tomasz = db.session.scalar(
            select(Application).join(Candidate).where(Candidate.name == "Tomasz Kowalski")
        )
        daniel = db.session.scalar(select(User).where(User.name == "Daniel Weber"))
        client.post("/login", data={"email": daniel.email, "password": DEMO_PASSWORD})

        html = client.get(f"/applications/{tomasz.id}/loop").get_data(as_text=True)

        assert html.count("Book this loop") == 3, "three whole loops to book"
