"""The demo's six months of history: enough closed applications, interviews and submitted
scorecards for the reports to say something (one lenient and one harsh interviewer, one
skill whose ratings disagree, one stage where one group passes less), all in the past and
consistent, and added only once.

Read straight from the tables, not through the reports, so these figures check the data the
reports will be checked against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import mean, median

import pytest
from sqlalchemy import Connection, func, select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Team, User
from interviewer.candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    SelfIdentification,
    StageVisit,
)
from interviewer.candidates.pipeline import REJECT_REASONS, WITHDRAW_REASONS
from interviewer.catalog.models import Skill
from interviewer.db import Base, utcnow
from interviewer.extensions import db as _db
from interviewer.plans.models import PlanStage, StageType
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scorecards.models import (
    Decision,
    Rating,
    Scorecard,
    ScorecardRevision,
    ScorecardState,
)
from interviewer.seed import history_data, seed_demo
from tests.conftest import rolled_back

#: Two moments to seed at (the history is drawn around the calendar of each).
NOWS = [datetime(2026, 12, 2, 13, 0, tzinfo=UTC), datetime(2027, 1, 12, 15, 0, tzinfo=UTC)]
SUBMITTED = Scorecard.state == ScorecardState.SUBMITTED


def _user_id(db, key: str) -> int:
    return db.session.scalar(select(User.id).where(User.email.startswith(f"{key}.")))


def _closed_applications(db):
    return select(Application.id).where(
        Application.status.in_(
            [ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.HIRED]
        )
    )


@dataclass(frozen=True)
class Seeded:
    connection: Connection
    now: datetime


#: The test runs on the demo seeded now, or at each of ``NOWS``.
AT_NOW = pytest.mark.parametrize("seeded", ["now"], indirect=True)
AT_NOWS = pytest.mark.parametrize("seeded", ["december", "january"], indirect=True)


@pytest.fixture(scope="module", params=["now", "december", "january"])
def seeded(request, app) -> Iterator[Seeded]:
    """The demo seeded once for the module's tests at one moment (they only read it, each in
    a SAVEPOINT of its own), as ``flask seed-demo`` does: now, or at one of ``NOWS``."""
    moment = dict(zip(("december", "january"), NOWS, strict=True)).get(request.param)
    with rolled_back(app) as connection:
        assert seed_demo(_db.session, now=moment).created
        yield Seeded(connection, moment or utcnow())


@pytest.fixture
def db(app, seeded):
    with rolled_back(app, seeded.connection):
        yield _db


@pytest.fixture
def now(seeded) -> datetime:
    """The moment after the demo was seeded at the current time. Counts that vary with the
    day the demo is seeded on are checked at ``NOWS`` instead (``seeded_at``)."""
    return seeded.now


@pytest.fixture
def seeded_at(seeded) -> datetime:
    """When the demo was seeded: each of ``NOWS``, for the figures the reports show."""
    return seeded.now


@AT_NOWS
def test_the_history_has_a_few_hundred_applications_with_interviews_scorecards_and_hires(
    db, seeded_at
):
    now = seeded_at
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    received = select(Application.id).where(Application.created_at >= now - timedelta(days=181))
    assert 250 <= count(received) <= 370
    assert count(select(Application.id).where(Application.created_at < now - timedelta(days=120)))
    statuses = dict(
        db.session.execute(
            select(Application.status, func.count()).group_by(Application.status)
        ).all()
    )
    assert statuses[ApplicationStatus.REJECTED] >= 200
    assert 15 <= statuses[ApplicationStatus.WITHDRAWN] <= 60
    assert 4 <= statuses[ApplicationStatus.HIRED] <= 20
    assert count(select(Interview.id)) >= 400
    assert count(select(Scorecard.id).where(SUBMITTED)) >= 500
    assert count(select(Decision.id).where(Decision.outcome == "offer")) >= 5
    assert count(select(Rating.id).where(Rating.score.is_(None))) >= 20
    # A few amended scorecards: version 2, with a revision for each version.
    amended = db.session.scalars(select(Scorecard).where(Scorecard.version == 2)).all()
    assert 3 <= len(amended) <= 25
    for scorecard in amended:
        assert [revision.number for revision in scorecard.revisions] == [1, 2]
        assert scorecard.revisions[1].reason == scorecard.amendment_reason != ""
        assert scorecard.revisions[0].content != scorecard.revisions[1].content
        assert scorecard.revisions[0].created_at == scorecard.submitted_at
    assert count(select(Candidate.id).where(Candidate.email.like("%@example.com")))


@AT_NOW
def test_every_stay_ends_after_it_begins_with_the_pipelines_reasons_and_nothing_is_ahead(db, now):
    stays = db.session.execute(
        select(StageVisit.entered_at, StageVisit.left_at, StageVisit.left_by, StageVisit.reason)
    ).all()
    for entered_at, left_at, left_by, reason in stays:
        assert entered_at <= now
        if left_at is not None:
            assert entered_at <= left_at <= now
        assert left_by in (None, "advance", "offer", "reject", "withdraw")
        if left_by == "reject":
            assert reason in REJECT_REASONS
        elif left_by == "withdraw":
            assert reason in WITHDRAW_REASONS
        else:
            assert reason is None
    closed = _closed_applications(db)
    open_stays = select(func.count()).where(
        StageVisit.application_id.in_(closed), StageVisit.left_at.is_(None)
    )
    assert db.session.scalar(open_stays) == 0
    for column in (
        AuditEvent.created_at,
        Application.created_at,
        Application.closed_at,
        Decision.created_at,
        Scorecard.submitted_at,
        ScorecardRevision.created_at,
        SelfIdentification.created_at,
    ):
        assert db.session.scalar(select(func.max(column))) <= now, column
    last_held = select(func.max(Interview.ends_at)).where(Interview.application_id.in_(closed))
    assert db.session.scalar(last_held) < now


@AT_NOW
def test_every_held_interview_of_the_history_has_its_panel_and_their_submitted_scorecards(db, now):
    closed = _closed_applications(db)
    interviews = db.session.execute(
        select(Interview.id, Interview.status, Interview.created_at, Interview.starts_at)
        .add_columns(PlanStage.panel_size)
        .join(PlanStage, PlanStage.id == Interview.plan_stage_id)
        .where(Interview.application_id.in_(closed))
    ).all()
    panels = defaultdict(set)
    for interview_id, user_id in db.session.execute(
        select(PanelMember.interview_id, PanelMember.user_id)
    ):
        panels[interview_id].add(user_id)
    cards = defaultdict(set)
    for interview_id, user_id in db.session.execute(
        select(Scorecard.interview_id, Scorecard.interviewer_id).where(SUBMITTED)
    ):
        cards[interview_id].add(user_id)
    drafts = select(func.count()).where(
        Scorecard.state == ScorecardState.DRAFT, Scorecard.application_id.in_(closed)
    )
    assert db.session.scalar(drafts) == 0
    lead_days = []
    for interview_id, status, booked_at, starts_at, panel_size in interviews:
        assert len(panels[interview_id]) == panel_size
        if status == InterviewStatus.SCHEDULED:
            assert cards[interview_id] == panels[interview_id]
        else:
            assert not cards[interview_id]
        lead_days.append((starts_at - booked_at).total_seconds() / 86400)
    # Booked a few days ahead.
    assert min(lead_days) > 1 and 2 <= median(lead_days) <= 8


def _ratings(db) -> list[tuple[int, int, int, int, int]]:
    """(application, interview, skill, interviewer, score) of every submitted rating."""
    return db.session.execute(
        select(
            Scorecard.application_id,
            Scorecard.interview_id,
            Rating.skill_id,
            Scorecard.interviewer_id,
            Rating.score,
        )
        .join(Rating, Rating.scorecard_id == Scorecard.id)
        .where(SUBMITTED, Rating.score.is_not(None))
    ).all()


@AT_NOWS
def test_one_interviewer_rates_a_point_above_colleagues_and_one_a_point_below(db, seeded_at):
    by_unit = defaultdict(list)
    for application_id, _interview, skill_id, user_id, score in _ratings(db):
        by_unit[application_id, skill_id].append((user_id, score))
    differences = defaultdict(list)
    for ratings in by_unit.values():
        for user_id, score in ratings:
            others = [other for someone, other in ratings if someone != user_id]
            if others:
                differences[user_id].append(score - mean(others))
    leniency = {user_id: mean(values) for user_id, values in differences.items()}

    lenient, harsh = _user_id(db, "marcus"), _user_id(db, "sofia")
    assert (history_data.LENIENT, history_data.HARSH) == ("marcus", "sofia")
    assert leniency[lenient] > 0.5 and len(differences[lenient]) >= 100
    assert leniency[harsh] < -0.5 and len(differences[harsh]) >= 100
    for key in ("daniel", "priya"):
        assert abs(leniency[_user_id(db, key)]) < 0.15


@AT_NOWS
def test_one_skills_ratings_disagree_where_the_panel_otherwise_agrees(db, seeded_at):
    daniel, priya = _user_id(db, "daniel"), _user_id(db, "priya")
    pairs = defaultdict(dict)
    for _application, interview_id, skill_id, user_id, score in _ratings(db):
        if user_id in (daniel, priya):
            pairs[interview_id, skill_id][user_id] = score
    differ, total = defaultdict(int), defaultdict(int)
    for (_interview, skill_id), scores in pairs.items():
        if len(scores) == 2:
            total[skill_id] += 1
            differ[skill_id] += scores[daniel] != scores[priya]
    names = dict(db.session.execute(select(Skill.id, Skill.name)).all())
    share = {names[skill]: differ[skill] / total[skill] for skill in total}

    noisy = share.pop(history_data.NOISY_SKILL)
    assert total[next(k for k, v in names.items() if v == history_data.NOISY_SKILL)] >= 40
    assert noisy > 0.5
    assert max(share.values()) < 0.3 and noisy > 2.5 * max(share.values())
    assert len(share) == 10


@AT_NOWS
def test_one_interviewer_submits_days_late_and_the_others_within_a_day(db, seeded_at):
    delays = defaultdict(list)
    for user_id, submitted_at, ends_at in db.session.execute(
        select(Scorecard.interviewer_id, Scorecard.submitted_at, Interview.ends_at)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .where(SUBMITTED)
    ):
        assert submitted_at > ends_at
        delays[user_id].append((submitted_at - ends_at).total_seconds() / 3600)
    within_a_day = {user: mean(hours <= 24 for hours in values) for user, values in delays.items()}
    slow = _user_id(db, history_data.SLOW)
    assert mean(40 <= hours <= 80 for hours in delays[slow]) > 0.4
    assert within_a_day[slow] < 0.6
    others = [share for user, share in within_a_day.items() if user != slow]
    assert min(others) > 0.8


@AT_NOWS
def test_careers_page_applicants_self_identify_and_women_pass_live_coding_less_often(db, seeded_at):
    team = db.session.scalar(select(Team).where(Team.slug == "acme"))
    assert {"gender", "ethnicity"} <= set(team.self_identification_questions.split(","))
    sources = db.session.execute(
        select(Candidate.source)
        .join(Application, Application.candidate_id == Candidate.id)
        .join(SelfIdentification, SelfIdentification.application_id == Application.id)
    ).scalars()
    assert set(sources) == {"Careers page"}

    rows = db.session.execute(
        select(StageType.key, SelfIdentification.gender, StageVisit.left_by)
        .join(PlanStage, PlanStage.id == StageVisit.plan_stage_id)
        .join(StageType, StageType.id == PlanStage.stage_type_id)
        .join(SelfIdentification, SelfIdentification.application_id == StageVisit.application_id)
    ).all()
    reached, passed = defaultdict(int), defaultdict(int)
    for stage, gender, left_by in rows:
        reached[stage, gender] += 1
        passed[stage, gender] += left_by in ("advance", "offer")

    def rates(stage: str) -> dict[str, float]:
        return {g: passed[stage, g] / reached[stage, g] for g in ("Woman", "Man")}

    assert reached["live_coding", "Woman"] >= 5 and reached["live_coding", "Man"] >= 5
    live_coding = rates("live_coding")
    assert live_coding["Woman"] / live_coding["Man"] < 0.6
    # The four-fifths rule holds at the screen, both ways.
    screen = rates("screen")
    assert min(screen.values()) / max(screen.values()) >= 0.8


@AT_NOW
def test_seeding_again_adds_no_rows(db, now):
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }

    assert not seed_demo(db.session, now=now).created

    assert {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    } == counts
