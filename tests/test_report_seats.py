"""The panel seats behind scorecard turnaround stay equal to what the interviews, their
panels and scorecards say, whichever way those are written, and the speed report's
turnaround follows every edit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import and_, select

from interviewer.reports import seats
from interviewer.reports.filters import ReportFilter
from interviewer.reports.models import PanelSeat
from interviewer.reports.speed import speed_report
from interviewer.reports.stats import HOUR, seconds_between
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scheduling.services import cancel_interview
from interviewer.scorecards import services as scorecards
from interviewer.scorecards.models import Scorecard, ScorecardState
from interviewer.scorecards.services import RatingInput, ScorecardInput
from tests import factories

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START, END = date(2026, 3, 1), date(2026, 5, 31)


def stored(db, team):
    """The team's seats: (interview, interviewer) -> (starts_at, ends_at, seconds)."""
    rows = db.session.execute(
        select(
            PanelSeat.interview_id,
            PanelSeat.interviewer_id,
            PanelSeat.starts_at,
            PanelSeat.ends_at,
            PanelSeat.seconds,
        ).where(PanelSeat.team_id == team.id)
    )
    return {(r[0], r[1]): (_utc(r[2]), _utc(r[3]), _round(r[4])) for r in rows}


def expected(db, team):
    """The same, worked out from the interviews, panels and scorecards themselves."""
    rows = db.session.execute(
        select(
            Interview.id,
            PanelMember.user_id,
            Interview.starts_at,
            Interview.ends_at,
            seconds_between(Interview.ends_at, Scorecard.submitted_at),
        )
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == Interview.id,
                Scorecard.interviewer_id == PanelMember.user_id,
                Scorecard.state == ScorecardState.SUBMITTED,
            ),
        )
        .where(Interview.team_id == team.id, Interview.status != InterviewStatus.CANCELLED)
    )
    return {(r[0], r[1]): (_utc(r[2]), _utc(r[3]), _round(r[4])) for r in rows}


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _round(value):
    return None if value is None else round(value, 3)


def booked(team, ends, panel):
    interview = factories.InterviewFactory(
        team=team, starts_at=ends - timedelta(hours=1), ends_at=ends
    )
    for user in panel:
        factories.PanelMemberFactory(team=team, interview=interview, user=user)
    return interview


def turnaround(db, team):
    report = speed_report(db.session, ReportFilter(team.id, START, END))
    return {row.name: row for row in report.turnaround}


def test_seats_follow_new_interviews_panels_and_scorecards(db):
    team = factories.TeamFactory()
    ada, bo = (factories.UserFactory(team=team, name=name) for name in ("Ada", "Bo"))
    interview = booked(team, T0, [ada, bo])
    factories.ScorecardFactory(
        team=team,
        interview=interview,
        interviewer=ada,
        state=ScorecardState.SUBMITTED,
        submitted_at=T0 + timedelta(hours=4),
    )
    db.session.flush()

    assert stored(db, team) == expected(db, team)
    assert stored(db, team)[interview.id, ada.id][2] == 4 * HOUR
    assert stored(db, team)[interview.id, bo.id][2] is None
    rows = turnaround(db, team)
    assert (rows["Ada"].n, rows["Bo"].waiting) == (1, 1)


def test_seats_follow_a_moved_interview_a_changed_panel_and_a_cancellation(db):
    team = factories.TeamFactory()
    ada, bo, cy = (factories.UserFactory(team=team, name=name) for name in ("Ada", "Bo", "Cy"))
    interview = booked(team, T0, [ada, bo])
    db.session.flush()

    # Moved out of the range, as a reschedule does: the report no longer counts it.
    interview.starts_at = datetime(2026, 7, 1, 9, tzinfo=UTC)
    interview.ends_at = datetime(2026, 7, 1, 10, tzinfo=UTC)
    db.session.flush()
    assert stored(db, team) == expected(db, team)
    assert turnaround(db, team) == {}

    # Back in the range with Cy instead of Bo (the panel member removed as an orphan).
    interview.starts_at, interview.ends_at = T0 - timedelta(hours=1), T0
    interview.panel.remove(next(m for m in interview.panel if m.user_id == bo.id))
    interview.panel.append(PanelMember(team_id=team.id, user_id=cy.id))
    db.session.flush()
    assert stored(db, team) == expected(db, team)
    assert set(turnaround(db, team)) == {"Ada", "Cy"}

    cancel_interview(db.session, interview, "The candidate withdrew.")
    assert stored(db, team) == expected(db, team) == {}
    assert turnaround(db, team) == {}


def test_a_submitted_then_amended_scorecard_keeps_its_first_submission(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team, name="Ada")
    item = factories.KitItemFactory(team=team)
    interview = factories.InterviewFactory(
        team=team,
        starts_at=T0 - timedelta(hours=1),
        ends_at=T0,
        plan_stage=item.kit_version.plan_stage,
        kit_version=item.kit_version,
    )
    factories.PanelMemberFactory(team=team, interview=interview, user=ada)
    entries = scorecards.kit_entries(db.session, interview)
    card = scorecards.scorecard_for(db.session, interview, ada, T0)
    db.session.flush()
    assert stored(db, team)[interview.id, ada.id][2] is None, "a draft has no time"

    typed = ScorecardInput({item.skill_id: RatingInput(3, "Clear.")}, "Good.", 3)
    scorecards.submit(
        db.session,
        card,
        typed,
        entries=entries,
        expected_lock=card.lock_version or 0,
        actor=ada,
        now=T0 + timedelta(hours=5),
    )
    assert stored(db, team)[interview.id, ada.id][2] == 5 * HOUR

    amended = ScorecardInput({item.skill_id: RatingInput(2, "Less clear.")}, "Fine.", 2)
    scorecards.amend(
        db.session,
        card,
        amended,
        "Mixed up my notes.",
        entries=entries,
        expected_lock=card.lock_version,
        actor=ada,
        now=T0 + timedelta(days=6),
    )
    assert stored(db, team) == expected(db, team)
    assert stored(db, team)[interview.id, ada.id][2] == 5 * HOUR
    (row,) = turnaround(db, team).values()
    assert row.n == 1
    assert row.figures.median == pytest.approx(5 * HOUR)


def test_a_deleted_interview_leaves_no_seat(db):
    team = factories.TeamFactory()
    ada = factories.UserFactory(team=team)
    interview = booked(team, T0, [ada])
    db.session.flush()
    assert stored(db, team)

    db.session.delete(interview)
    db.session.flush()

    assert stored(db, team) == {}


def test_refresh_rebuilds_what_bulk_writes_skipped(db):
    team = factories.TeamFactory()
    ada, bo = (factories.UserFactory(team=team) for _ in range(2))
    for hours in (1, 30):
        booked(team, T0 + timedelta(days=hours), [ada, bo])
    db.session.flush()
    kept = stored(db, team)
    db.session.execute(PanelSeat.__table__.delete().where(PanelSeat.team_id == team.id))

    seats.refresh(db.session, team.id)

    assert stored(db, team) == kept == expected(db, team)
    assert len(kept) == 4
