"""A candidate booking an offered time on the portal while a manager books the same interviewer
at the same moment, against a live server on PostgreSQL: exactly one of them gets the time.

The data is really committed, so the test builds its own team and deletes it afterwards.
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.catalog.models import Level
from interviewer.plans.models import Job, KitVersion, PlanStage, StageType
from interviewer.scheduling import offers
from interviewer.scheduling.loops import LoopItem
from interviewer.scheduling.models import Availability, Interview
from interviewer.scheduling.offer_models import BookingOffer, OfferStatus
from tests.conftest import PASSWORD, delete_committed_team, postgres_engine_or_skip
from tests.server_process import ServerProcess, Visitor, gunicorn

#: How many races to run: each is a fresh time for the same two people.
ROUNDS = 3


@pytest.fixture
def committed(app):
    """Maya (manager), Dana (free every day 06:00-20:00 UTC), and two applications to a
    one-stage plan, the first of which is offered Dana's times: really committed."""
    engine = postgres_engine_or_skip(app, "two bookings cannot run at the same time")
    key = uuid.uuid4().hex[:8]
    with Session(engine) as session:
        team = Team(name=f"Race {key}", slug=f"race-{key}")
        manager, dana = (
            User(
                team=team,
                email=f"{name}-{key}@example.com",
                name=name.title(),
                password_hash=generate_password_hash(PASSWORD),
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
                current_stage=stage,
                candidate=Candidate(team=team, name=f"Candidate {n}", email=f"c{n}-{key}@ex.org"),
            )
            for n in (1, 2)
        ]
        session.add_all([team, manager, dana, stage, *applications])
        session.add_all(
            Availability(team=team, user=dana, weekday=day, start_time=clock(6), end_time=clock(20))
            for day in range(7)
        )
        session.commit()
        ids = {
            "team": team.id,
            "manager": manager.email,
            "dana": dana.id,
            "stage": stage.id,
            "applications": [application.id for application in applications],
        }
    yield engine, ids
    delete_committed_team(engine, ids["team"])


def offer(engine, ids, starts_at: datetime) -> None:
    """Offer the first candidate Dana at ``starts_at`` (replacing the last offer)."""
    with Session(engine) as session:
        application = session.get(Application, ids["applications"][0])
        item = LoopItem(
            session.get(PlanStage, ids["stage"]), starts_at, (session.get(User, ids["dana"]),)
        )
        offers.make_offer(session, application, [[item]], actor=None)
        session.commit()


def test_a_candidate_and_a_manager_booking_one_interviewer_at_once_let_exactly_one_through(
    committed, tmp_path
):
    engine, ids = committed
    first, second = ids["applications"]
    url = engine.url.render_as_string(hide_password=False)
    day = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)

    with ServerProcess(gunicorn, url, log=tmp_path / "server.log") as server:
        manager = Visitor(server.url)
        manager.sign_in(ids["manager"], PASSWORD)
        candidate_page = manager.get(f"/candidates/{_candidate_id(engine, first)}").body
        link = re.search(r'value="https?://[^"/]+(/portal/[^"]+)"', candidate_page).group(1)
        winners = []
        for round_ in range(ROUNDS):
            starts_at = day + timedelta(days=2 + round_)
            offer(engine, ids, starts_at)
            candidate = Visitor(server.url)
            html = candidate.get(link).body
            [choice] = re.findall(r'name="choice" value="([^"]+)"', html)
            manager.get(f"/applications/{second}/stages/{ids['stage']}/schedule")
            slot = f"{starts_at.isoformat()}|{ids['dana']}"
            outcomes = race(
                {
                    "candidate": (candidate, f"{link}/book", {"choice": choice}),
                    "manager": (
                        manager,
                        f"/applications/{second}/stages/{ids['stage']}/schedule",
                        {"slot": slot, "location": "", "video_url": ""},
                    ),
                }
            )

            booked = {who for who, answer in outcomes.items() if answer.status == 302}
            assert len(booked) == 1, {who: a.status for who, a in outcomes.items()}
            if "candidate" in booked:
                refused = unescape(outcomes["manager"].body)
                assert outcomes["manager"].status == 200
                assert "Dana already has an interview" in refused
            else:
                assert outcomes["candidate"].status == 409
                assert offers.TAKEN in unescape(outcomes["candidate"].body)
            winners.extend(booked)
            with Session(engine) as session:
                at_that_time = session.scalar(
                    select(func.count())
                    .select_from(Interview)
                    .where(Interview.team_id == ids["team"], Interview.starts_at == starts_at)
                )
                assert at_that_time == 1
                status = session.scalar(
                    select(BookingOffer.status)
                    .where(BookingOffer.application_id == first)
                    .order_by(BookingOffer.id.desc())
                    .limit(1)
                )
            assert (status == OfferStatus.BOOKED) == ("candidate" in booked)
            _clear_bookings(engine, ids)

    assert len(winners) == ROUNDS


def race(posts: dict) -> dict:
    """Send each ``who: (visitor, path, data)`` post in its own thread, all at one moment."""
    barrier, outcomes = threading.Barrier(len(posts)), {}

    def book(who, visitor, path, data):
        barrier.wait(timeout=30)
        outcomes[who] = visitor.post(path, data)

    threads = [threading.Thread(target=book, args=(who, *post)) for who, post in posts.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return outcomes


def _candidate_id(engine, application_id: int) -> int:
    with Session(engine) as session:
        return session.get(Application, application_id).candidate_id


def _clear_bookings(engine, ids) -> None:
    """Remove the round's booking, so that both can book the stage again next round."""
    with Session(engine) as session:
        for interview in session.scalars(select(Interview).where(Interview.team_id == ids["team"])):
            session.delete(interview)
        session.commit()


def test_the_race_fixture_leaves_nothing_behind(app):
    engine = postgres_engine_or_skip(app, "the races run on PostgreSQL only")
    with Session(engine) as session:
        left = session.scalars(select(Team.slug).where(Team.slug.like("race-%"))).all()
    assert left == []
