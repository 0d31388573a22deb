"""Twenty interviewers of one interview submitting at once: none is lost.

In threads of the test process, on the suite's database (SQLite or PostgreSQL), each with
its own connection; and over HTTP against the app served by a real server process
(``flask run``, gunicorn with two workers) on a SQLite file of its own. The data is really
committed, so these tests build their own team and delete it afterwards instead of using the
rolled-back ``db``.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import flask_migrate
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import generate_password_hash

from interviewer import create_app, sqlite
from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.catalog.models import Level, Skill, SkillKind
from interviewer.extensions import db
from interviewer.plans.models import Job, KitItem, KitVersion, PlanStage, StageType
from interviewer.scheduling.models import Interview, PanelMember
from interviewer.scorecards import services
from interviewer.scorecards.models import Scorecard, ScorecardRevision, ScorecardState
from tests.conftest import PASSWORD, delete_committed_team
from tests.server_process import ServerProcess, Visitor, flask_run, gunicorn

PANEL = 20
NOW = datetime(2031, 3, 17, 12, tzinfo=UTC)


@pytest.fixture
def engine(app):
    with app.app_context():
        engine = db.engine
    # One connection per submitter, all open at once: more than the app's pool holds.
    wide = create_engine(engine.url, pool_size=PANEL, max_overflow=0)
    sqlite.configure(wide, busy_timeout=app.config["SQLITE_BUSY_TIMEOUT"])
    yield wide
    wide.dispose()


def build_panel(session: Session, starts_at: datetime, password_hash: str = "x") -> dict:
    """A team with an interview of twenty interviewers and a two-skill kit, committed."""
    key = uuid.uuid4().hex[:8]
    team = Team(name=f"Panel {key}", slug=f"panel-{key}")
    users = [
        User(
            team=team,
            email=f"panelist{n}-{key}@example.com",
            name=f"Panelist {n}",
            password_hash=password_hash,
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
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        panel=[PanelMember(team=team, user=user) for user in users],
    )
    session.add_all([team, *users, interview])
    session.commit()
    return {
        "team": team.id,
        "interview": interview.id,
        "users": [user.id for user in users],
        "emails": [user.email for user in users],
        "skills": [skill.id for skill in skills],
    }


@pytest.fixture
def committed(engine):
    with Session(engine) as session:
        ids = build_panel(session, starts_at=NOW - timedelta(hours=2))
    yield ids
    delete_committed_team(engine, ids["team"])


def submit_all_at_once(engine, ids) -> list[str]:
    """Each interviewer submits in a thread of their own; the outcome of each, in any order.

    On PostgreSQL the threads meet once all have read the interview, so that the submissions
    themselves collide. On SQLite a writer holds the write lock from its transaction's first
    statement (``interviewer.sqlite``), so there they meet before it, and queue for the lock.
    """
    barrier = threading.Barrier(len(ids["users"]))
    meet_before_reading = engine.dialect.name == "sqlite"
    outcomes: list[str] = []

    def attempt(user_id: int) -> None:
        if meet_before_reading:
            barrier.wait(timeout=20)
        with Session(engine) as session:
            try:
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
                if not meet_before_reading:
                    barrier.wait(timeout=20)
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


def assert_all_submitted(session: Session, ids: dict) -> None:
    """Every panel member's scorecard is stored, submitted, with their own words."""
    cards = session.scalars(
        select(Scorecard)
        .where(Scorecard.interview_id == ids["interview"])
        .options(selectinload(Scorecard.ratings), selectinload(Scorecard.interviewer))
    ).all()
    assert sorted(card.interviewer_id for card in cards) == sorted(ids["users"])
    for card in cards:
        assert card.state == ScorecardState.SUBMITTED
        assert card.key_takeaways == f"{card.interviewer.name}'s view."
        assert f"Seen by {card.interviewer.name}." in [r.evidence for r in card.ratings]
    revisions = session.scalar(
        select(func.count())
        .select_from(ScorecardRevision)
        .where(ScorecardRevision.team_id == ids["team"])
    )
    events = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.team_id == ids["team"], AuditEvent.action == "scorecard.submitted")
    )
    assert (revisions, events) == (PANEL, PANEL)


def test_twenty_submissions_of_one_interview_at_once_lose_none(engine, committed):
    outcomes = submit_all_at_once(engine, committed)

    failed = [outcome for outcome in outcomes if outcome != "submitted"]
    assert (len(failed), len(outcomes)) == (0, PANEL), f"{len(failed)} failed: {failed[:1]}"
    with Session(engine) as session:
        assert_all_submitted(session, committed)


def test_the_panel_fixture_leaves_nothing_behind(engine):
    """Runs after the submissions: their team was deleted (the rest of the suite starts clean)."""
    with Session(engine) as session:
        left = session.scalars(select(Team.slug).where(Team.slug.like("panel-%"))).all()
    assert left == []


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    """A SQLite file built from the migrations, and an app on it to read what was stored."""
    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'served.db'}"
    reader = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with reader.app_context():
        flask_migrate.upgrade()
        engine = db.engine
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="module")
def password_hash() -> str:
    """A quick hash of the password, for every panelist: twenty scrypt checks take seconds."""
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


@pytest.fixture
def served_panel(sqlite_file, password_hash):
    """A panel on the SQLite file, of an interview that ended an hour ago."""
    _url, engine = sqlite_file
    with Session(engine) as session:
        return build_panel(
            session, starts_at=datetime.now(UTC) - timedelta(hours=2), password_hash=password_hash
        )


def submit_over_http(server: ServerProcess, ids: dict) -> list[int]:
    """Sign each panelist in, open their scorecard, then all submit at once: the statuses."""
    visitors = []
    for email in ids["emails"]:
        visitor = Visitor(server.url)
        visitor.sign_in(email, PASSWORD)
        page = visitor.get(f"/interviews/{ids['interview']}/scorecard")
        assert page.status == 200, f"{email}'s scorecard page answered {page.status}"
        visitors.append(visitor)
    first_skill, second_skill = ids["skills"]
    barrier = threading.Barrier(len(visitors))
    statuses: list[int] = []

    def submit(visitor: Visitor, n: int) -> None:
        form = {
            "lock_version": "0",
            f"score_{first_skill}": "3",
            f"evidence_{first_skill}": f"Seen by Panelist {n}.",
            f"score_{second_skill}": "na",
            f"evidence_{second_skill}": "",
            "key_takeaways": f"Panelist {n}'s view.",
            "recommendation": "3",
            "submit_scorecard": "Submit scorecard",
        }
        barrier.wait(timeout=30)
        answer = visitor.post(f"/interviews/{ids['interview']}/scorecard", form)
        statuses.append(answer.status)

    threads = [
        threading.Thread(target=submit, args=(visitor, n)) for n, visitor in enumerate(visitors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a submission hung"
    return statuses


@pytest.mark.parametrize(
    "serve", [flask_run, gunicorn], ids=["flask run (threads)", "gunicorn (2 workers)"]
)
def test_twenty_submissions_over_http_on_sqlite_lose_none(
    serve, sqlite_file, served_panel, tmp_path
):
    url, engine = sqlite_file
    with ServerProcess(serve, url, log=tmp_path / "server.log") as server:
        statuses = submit_over_http(server, served_panel)

    failed = [status for status in statuses if status >= 500]
    errors = [line for line in server.output.splitlines() if "Error:" in line]
    assert (len(failed), len(statuses)) == (0, PANEL), (
        f"{len(failed)} of {PANEL} answered 5xx; the server said: {errors[:1]}"
    )
    assert statuses == [302] * PANEL
    with Session(engine) as session:
        assert_all_submitted(session, served_panel)
