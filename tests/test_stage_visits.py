"""Each stay of an application in a stage is kept: entering, leaving and by which move, so
reports can count who reached a stage and how long they stayed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from interviewer.candidates import pipeline, services
from interviewer.candidates.models import StageVisit
from tests import factories

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def stays(db, application):
    return [
        (visit.plan_stage.name, visit.entered_at, visit.left_at, visit.left_by, visit.reason)
        for visit in db.session.scalars(
            select(StageVisit)
            .where(StageVisit.application_id == application.id)
            .order_by(StageVisit.id)
        )
    ]


def test_each_stay_records_when_it_began_ended_and_how(db):
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    for position, name in enumerate(("Screen", "Live coding", "Onsite"), start=1):
        factories.PlanStageFactory(team=team, job=job, position=position, name=name)
    candidate = factories.CandidateFactory(team=team)
    application = services.apply_to_job(db.session, candidate, job, actor=None, now=DAY)
    later = [DAY + timedelta(days=n) for n in range(1, 6)]

    pipeline.move(db.session, application, "advance", None, now=later[0])
    pipeline.move(db.session, application, "back", None, reason="Redo the screen", now=later[1])
    pipeline.move(db.session, application, "advance", None, now=later[2])
    pipeline.move(db.session, application, "reject", None, reason="Position filled", now=later[3])
    pipeline.move(db.session, application, "reopen", None, now=later[4])

    assert stays(db, application) == [
        ("Screen", DAY, later[0], "advance", None),
        ("Live coding", later[0], later[1], "back", "Redo the screen"),
        ("Screen", later[1], later[2], "advance", None),
        ("Live coding", later[2], later[3], "reject", "Position filled"),
        ("Live coding", later[4], None, None, None),
    ]


def test_holding_keeps_the_stay_and_an_offer_ends_it(db):
    team = factories.TeamFactory()
    job = factories.JobFactory(team=team)
    factories.PlanStageFactory(team=team, job=job, position=1, name="Screen")
    application = services.apply_to_job(
        db.session, factories.CandidateFactory(team=team), job, actor=None, now=DAY
    )
    pipeline.move(db.session, application, "hold", None, now=DAY + timedelta(days=1))
    pipeline.move(db.session, application, "resume", None, now=DAY + timedelta(days=2))
    pipeline.move(db.session, application, "offer", None, now=DAY + timedelta(days=3))
    pipeline.move(db.session, application, "hire", None, now=DAY + timedelta(days=4))

    assert stays(db, application) == [("Screen", DAY, DAY + timedelta(days=3), "offer", None)]
