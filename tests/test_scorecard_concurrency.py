"""Twenty interviewers of one interview submitting at once, on PostgreSQL: none is lost.

Each submission runs in its own thread with its own connection and really commits, so this
test builds its own team and deletes it afterwards instead of using the rolled-back ``db``.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, selectinload

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.catalog.models import Level, Skill, SkillKind
from interviewer.plans.models import Job, KitItem, KitVersion, PlanStage, StageType
from interviewer.scheduling.models import Interview, PanelMember
from interviewer.scorecards import services
from interviewer.scorecards.models import Scorecard, ScorecardRevision, ScorecardState
from tests.conftest import delete_committed_team, postgres_engine_or_skip

PANEL = 20
NOW = datetime(2031, 3, 17, 12, tzinfo=UTC)


@pytest.fixture
def engine(app):
    engine = postgres_engine_or_skip(app, "submissions cannot run at once there")
    # One connection per submitter, all open at once: more than the app's pool holds.
    wide = create_engine(engine.url, pool_size=PANEL, max_overflow=0)
    yield wide
    wide.dispose()


@pytest.fixture
def committed(engine):
    """A team with an interview of twenty interviewers and a two-skill kit, committed."""
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Panel {key}", slug=f"panel-{key}")
        users = [
            User(
                team=team,
                email=f"panelist{n}-{key}@example.com",
                name=f"Panelist {n}",
                password_hash="x",
                role=Role.INTERVIEWER,
            )
            for n in range(PANEL)
        ]
        skills = [
            Skill(team=team, name=name, kind=SkillKind.HARD) for name in ("API design", "Testing")
        ]
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
            panel_size=PANEL,
        )
        kit = KitVersion(
            team=team,
            number=1,
            items=[KitItem(team=team, skill=skill, rubric="3: at the bar") for skill in skills],
        )
        stage.kit_versions.append(kit)
        application = Application(
            team=team,
            job=job,
            candidate=Candidate(team=team, name="Ana", email=f"ana-{key}@example.org"),
        )
        interview = Interview(
            team=team,
            application=application,
            plan_stage=stage,
            kit_version=kit,
            starts_at=NOW - timedelta(hours=2),
            ends_at=NOW - timedelta(hours=1),
            panel=[PanelMember(team=team, user=user) for user in users],
        )
        session.add_all([team, *users, interview])
        session.commit()
        ids = {
            "team": team.id,
            "interview": interview.id,
            "users": [user.id for user in users],
        }
    yield ids
    delete_committed_team(engine, ids["team"])


def submit_all_at_once(engine, ids) -> list[str]:
    barrier = threading.Barrier(len(ids["users"]))
    outcomes: list[str] = []

    def attempt(user_id: int) -> None:
        with Session(engine) as session:
            interview = session.scalar(
                select(Interview)
                .where(Interview.id == ids["interview"])
                .options(selectinload(Interview.panel))
            )
            user = session.get(User, user_id)
            entries = services.kit_entries(session, interview)
            card = services.scorecard_for(session, interview, user, NOW)
            data = services.ScorecardInput(
                ratings={entries[0].skill.id: services.RatingInput(3, f"Seen by {user.name}.")},
                key_takeaways=f"{user.name}'s view.",
                recommendation=3,
            )
            barrier.wait(timeout=20)
            try:
                services.submit(
                    session, card, data, entries=entries, expected_lock=0, actor=user, now=NOW
                )
                session.commit()
                outcomes.append("submitted")
            except Exception as error:  # any failure is what this test looks for
                session.rollback()
                outcomes.append(repr(error))

    threads = [threading.Thread(target=attempt, args=(user_id,)) for user_id in ids["users"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a submission hung"
    return outcomes


def test_twenty_submissions_of_one_interview_at_once_lose_none(engine, committed):
    outcomes = submit_all_at_once(engine, committed)

    assert outcomes == ["submitted"] * PANEL
    with Session(engine) as session:
        cards = session.scalars(
            select(Scorecard)
            .where(Scorecard.interview_id == committed["interview"])
            .options(selectinload(Scorecard.ratings), selectinload(Scorecard.interviewer))
        ).all()
        assert sorted(card.interviewer_id for card in cards) == sorted(committed["users"])
        for card in cards:
            assert card.state == ScorecardState.SUBMITTED
            assert card.key_takeaways == f"{card.interviewer.name}'s view."
            assert f"Seen by {card.interviewer.name}." in [r.evidence for r in card.ratings]
        revisions = session.scalar(
            select(func.count())
            .select_from(ScorecardRevision)
            .where(ScorecardRevision.team_id == committed["team"])
        )
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.team_id == committed["team"],
                AuditEvent.action == "scorecard.submitted",
            )
        )
    assert (revisions, events) == (PANEL, PANEL)


def test_the_panel_fixture_leaves_nothing_behind(engine):
    """Runs after the submissions: their team was deleted (the rest of the suite starts clean)."""
    with Session(engine) as session:
        left = session.scalars(select(Team.slug).where(Team.slug.like("panel-%"))).all()
    assert left == []
