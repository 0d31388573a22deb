"""``flask seed-demo``: the demo team is complete, consistent, honest about its plans, and
loaded only once. The tests share one seeding (``seeded``); the demo seeded at other
moments is in ``test_seed_demo_times``."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Connection, func, select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.candidates.pipeline import Move, reasons_for
from interviewer.catalog.models import Expectation
from interviewer.db import Base
from interviewer.extensions import db as _db
from interviewer.plans.models import EmploymentType, Job, JobStatus
from interviewer.scorecards.models import Rating, Scorecard, ScorecardState
from interviewer.seed import DEMO_PASSWORD
from tests.conftest import rolled_back


def _seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def _row_counts(db) -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def _team(db) -> Team:
    return db.session.scalar(select(Team).where(Team.slug == "acme"))


@dataclass(frozen=True)
class Seeded:
    connection: Connection
    #: What the first ``flask seed-demo`` printed.
    output: str


@pytest.fixture(scope="module")
def seeded(app) -> Iterator[Seeded]:
    """The demo loaded once by ``flask seed-demo`` for the module's tests, each of which
    runs in a SAVEPOINT of its own and may run the command again."""
    with rolled_back(app) as connection:
        yield Seeded(connection, _seed(app.test_cli_runner()))


@pytest.fixture
def db(app, seeded):
    with rolled_back(app, seeded.connection):
        yield _db


def test_seed_demo_prints_every_login_and_the_password(seeded, db):
    output = seeded.output

    assert "Demo data loaded." in output
    assert DEMO_PASSWORD in output
    users = db.session.scalars(select(User).where(User.team_id == _team(db).id)).all()
    assert Counter(user.role for user in users) == {
        Role.ADMIN: 1,
        Role.HIRING_MANAGER: 1,
        Role.INTERVIEWER: 3,
    }
    for user in users:
        assert user.email in output
        assert user.check_password(DEMO_PASSWORD)
        assert user.password_hash.startswith("scrypt:")


def test_running_seed_demo_twice_changes_nothing(runner, db):
    _seed(runner)
    first = _row_counts(db)

    output = _seed(runner)

    assert "already present; nothing changed." in output
    assert "daniel.weber@acme.example" in output
    assert _row_counts(db) == first
    assert first["application"] >= 12 and first["scorecard"] > 0


def test_every_row_of_the_demo_belongs_to_the_demo_team(runner, db):
    _seed(runner)
    team_id = _team(db).id

    scoped = [table for table in Base.metadata.sorted_tables if "team_id" in table.c]
    for table in scoped:
        stray = select(func.count()).select_from(table).where(table.c.team_id != team_id)
        assert db.session.scalar(stray) == 0, table.name
    filled = {name for name, count in _row_counts(db).items() if count}
    assert {"skill", "expectation", "kit_item", "panel_member", "rating", "audit_event"} <= filled


def test_each_open_plan_covers_every_skill_its_level_expects(runner, db):
    _seed(runner)
    jobs = db.session.scalars(select(Job).where(Job.status == JobStatus.OPEN)).all()

    assert sorted(job.level.name for job in jobs) == ["Junior", "Middle", "Senior"]
    for job in jobs:
        expected = {
            row.skill_id: row.proficiency
            for row in db.session.scalars(
                select(Expectation).where(
                    Expectation.level_id == job.level_id, Expectation.proficiency >= 1
                )
            )
        }
        assessed = Counter(skill.id for stage in job.stages for skill in stage.focus_skills)
        assert set(expected) <= set(assessed), job.title
        strong = [skill for skill, proficiency in expected.items() if proficiency >= 3]
        assert all(assessed[skill] >= 2 for skill in strong), job.title
        assert all(stage.focus_skills for stage in job.stages)
        assert sum(stage.duration_minutes for stage in job.stages) <= job.team.max_plan_minutes
        assert [stage.position for stage in job.stages] == list(range(1, len(job.stages) + 1))
        for stage in job.stages:
            kit = stage.current_kit
            assert kit.number == 1 and kit.what_to_expect
            assert {item.skill_id for item in kit.items} == {s.id for s in stage.focus_skills}
        assert job.level.salary_min <= job.salary_min <= job.salary_max <= job.level.salary_max
        assert job.posted_on < job.closes_on


def test_the_draft_posting_has_problems_for_the_checker_to_find(runner, db):
    _seed(runner)

    draft = db.session.scalar(select(Job).where(Job.status == JobStatus.DRAFT))

    for word in ("rockstar", "ninja", "young and energetic", "native english speaker"):
        assert word in draft.description.lower()
    assert draft.employment_type is EmploymentType.CONTRACT and draft.contract_months is None
    assert draft.salary_min is None and draft.salary_max is None


def test_every_status_appears_and_exits_have_reasons(runner, db):
    _seed(runner)

    applications = db.session.scalars(select(Application)).all()

    assert {application.status for application in applications} == set(ApplicationStatus)
    assert len({application.candidate_id for application in applications}) >= 12
    for application in applications:
        assert application.current_stage.job_id == application.job_id
        if application.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
            assert application.exit_reason
        assert (application.closed_at is not None) == application.status.is_closed
    jobs = {application.job for application in applications}
    every_stage = {stage.id for job in jobs for stage in job.stages}
    assert {application.current_stage_id for application in applications} == every_stage


def test_there_are_submitted_and_draft_scorecards(runner, db):
    _seed(runner)

    scorecards = db.session.scalars(select(Scorecard)).all()

    states = Counter(scorecard.state for scorecard in scorecards)
    assert states[ScorecardState.SUBMITTED] > 0 and states[ScorecardState.DRAFT] > 0
    for scorecard in scorecards:
        assert scorecard.application_id == scorecard.interview.application_id
        assert scorecard.kit_version_id == scorecard.interview.kit_version_id
        assert scorecard.interviewer in scorecard.interview.interviewers
        if scorecard.state is ScorecardState.SUBMITTED:
            focus = {skill.id for skill in scorecard.interview.plan_stage.focus_skills}
            assert {rating.skill_id for rating in scorecard.ratings} == focus
            # Every rating has its evidence; "not assessed" (no score) says why.
            assert all(rating.evidence for rating in scorecard.ratings)
            assert any(rating.score is not None for rating in scorecard.ratings)
            assert all(rating.score in (None, 1, 2, 3, 4) for rating in scorecard.ratings)
            assert scorecard.recommendation and scorecard.key_takeaways
            assert scorecard.interview.ends_at < scorecard.submitted_at
        else:
            assert scorecard.submitted_at is None


def test_a_senior_debrief_shows_two_interviewers_two_points_apart(runner, db):
    _seed(runner)

    scores = defaultdict(list)
    rows = db.session.execute(
        select(Scorecard.application_id, Rating.skill_id, Rating.score)
        .join(Rating.scorecard)
        .where(Scorecard.state == ScorecardState.SUBMITTED, Rating.score.is_not(None))
    )
    for application_id, skill_id, score in rows:
        scores[application_id, skill_id].append(score)

    split = [key for key, values in scores.items() if max(values) - min(values) >= 2]
    assert split
    assert any(db.session.get(Application, key[0]).job.level.name == "Senior" for key in split)


def test_kenjis_senior_debrief_meets_middle_with_the_panel_split_on_system_design(
    runner, client, db
):
    output = _seed(runner)
    client.post("/login", data={"email": "daniel.weber@acme.example", "password": DEMO_PASSWORD})
    kenji = db.session.scalar(
        select(Application.id)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Job, Job.id == Application.job_id)
        .where(Candidate.name == "Kenji Watanabe", Job.title == "Senior Backend Developer")
    )

    html = client.get(f"/applications/{kenji}/debrief").get_data(as_text=True)

    fit = re.search(r'id="level-fit">([^<]*)<', html).group(1)
    assert fit == ("Meets Middle; below Senior in Caching &amp; performance and System design.")
    rows = {
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split(" Senior expects")[0].strip(): row
        for row in re.findall(r"<tr.*?</tr>", html, re.S)
        if "Senior expects" in row
    }
    split = [name for name, row in rows.items() if "Split: ratings" in row]
    assert split == ["System design (ratings split)"]
    design = rows["System design (ratings split)"]
    assert "Yes (3)" in design and "Strong no (1)" in design
    caching = rows["Caching &amp; performance"]
    assert "No (2)" in caching and "Yes (3)" not in caching
    # The command's footer says what the debrief shows.
    assert (
        "Try the Senior Backend Developer debrief of Kenji Watanabe: the panel is split on "
        'System design, and the level fit reads "Meets Middle; below Senior in '
        'Caching & performance and System design."'
    ) in output


def _portal_link(output: str) -> str:
    links = re.findall(r"https?://\S+/portal/\S+", output)
    assert len(links) == 1, output
    return links[0]


def test_seed_demo_prints_one_candidate_portal_link_that_opens_without_signing_in(
    app, runner, client, db
):
    # ``flask seed-demo`` runs inside the app context, as the command line provides it.
    with app.app_context():
        output, again = _seed(runner), _seed(runner)

    link = _portal_link(output)
    assert "Hannah Schmidt's candidate portal" in output
    response = client.get(urlsplit(link).path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hannah" in page and "Junior Backend Developer" in page
    assert "Data and security walkthrough" in page  # her next step, booked
    assert _portal_link(again) == link  # the same link on a second run


def _replay(events) -> tuple[str | None, str]:
    """Where the recorded moves leave an application: (stage, status)."""
    created, *moves = events
    assert created.action == "application.created"
    stage, status = created.data["to_stage"], created.data["to_status"]
    for event in moves:
        assert event.action == "application.moved", event.action
        assert set(MOVE_KEYS) <= set(event.data), event.data
        assert (event.data["from_stage"], event.data["from_status"]) == (stage, status)
        stage, status = event.data["to_stage"], event.data["to_status"]
    return stage, status


MOVE_KEYS = ("move", "from_stage", "to_stage", "from_status", "to_status", "reason", "note")


def test_the_seeded_history_of_each_application_is_the_moves_that_lead_to_where_it_stands(
    runner, db
):
    _seed(runner)

    events = defaultdict(list)
    for event in db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "application")
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ):
        events[event.subject_id].append(event)
    applications = db.session.scalars(select(Application)).all()

    for application in applications:
        stage, status = _replay(events[application.id])
        assert (stage, status) == (application.current_stage.name, application.status.value)
        exits = [e for e in events[application.id] if e.data.get("move") in ("reject", "withdraw")]
        if application.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
            assert exits[-1].data["reason"] == application.exit_reason
            assert exits[-1].data["reason"] in reasons_for(
                Move(exits[-1].data["move"]), application.team_id
            )
            assert exits[-1].created_at == application.closed_at


def test_the_candidate_page_tells_the_seeded_history_like_real_moves(runner, client, db):
    _seed(runner)
    response = client.post(
        "/login", data={"email": "daniel.weber@acme.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    olu = db.session.scalar(select(Candidate).where(Candidate.name == "Oluwaseun Adeyemi"))

    page = client.get(f"/candidates/{olu.id}").get_data(as_text=True)

    assert "Moved forward from Intro call to Live coding" in page
    assert "Rejected at Live coding: <em>Skills below the level&#39;s bar</em>" in page
    assert "Solid Middle-level work" in page
    assert "Application moved" not in page and "Status changed" not in page


def test_seed_demo_links_name_make_runs_address_and_say_how_to_serve_elsewhere(
    app, runner, db, monkeypatch
):
    monkeypatch.setitem(app.config, "APP_URL", "")
    with app.app_context():
        output = _seed(runner)

    assert "Sign in at http://127.0.0.1:5000/login" in output
    assert _portal_link(output).startswith("http://127.0.0.1:5000/portal/")
    assert "where `make run` serves" in output
    assert "set APP_URL" in output


def test_seed_demo_links_use_app_url_when_it_is_set(app, runner, db, monkeypatch):
    monkeypatch.setitem(app.config, "APP_URL", "http://localhost:8000")
    with app.app_context():
        output = _seed(runner)

    assert "Sign in at http://localhost:8000/login" in output
    assert _portal_link(output).startswith("http://localhost:8000/portal/")
    assert "127.0.0.1:5000" not in output
    assert "set APP_URL" not in output
