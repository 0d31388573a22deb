"""The interviewer pools page, through the test client, and trainees on the interview page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling import pools
from interviewer.scheduling.models import Interview
from interviewer.scheduling.pool_models import InterviewerPool, PoolMember, TrainingPhase
from tests import factories
from tests.test_pools import seat
from tests.test_scheduling import MONDAY, NOW, at, book, make_interviewer, make_plan

S, Q = TrainingPhase.SHADOW, TrainingPhase.QUALIFIED


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team_setup(db):
    application, (screen, live) = make_plan()
    team = application.team
    dana = make_interviewer(team, name="Dana Lee")
    tara = make_interviewer(team, name="Tara Trainee")
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER, name="Maya Manager")
    book(db, application, screen, at(MONDAY - timedelta(days=7), 9), [dana])
    return application, live, dana, tara, manager


def page(client) -> str:
    response = client.get("/team/pools")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_interviewers_are_refused_the_page_and_its_actions(client, db, auth, team_setup):
    application, live, dana, tara, manager = team_setup
    pool = pools.create_pool(db.session, live.stage_type, actor=manager)
    auth.login(user=dana)

    assert client.get("/team/pools").status_code == 403
    assert client.post(f"/team/pools/{pool.id}/members", data={}).status_code == 403
    assert client.post(f"/team/pools/{pool.id}/delete").status_code == 403


def test_a_manager_creates_a_pool_adds_a_trainee_and_sees_the_progress(
    client, db, auth, team_setup
):
    application, live, dana, tara, manager = team_setup
    auth.login(user=manager)
    assert "No pool: every active interviewer can fill seats." in page(client)

    response = client.post(
        f"/team/pools/stage-types/{live.stage_type.id}/pool",
        data={f"type-{live.stage_type.id}-plan_stage_id": "0"},
    )
    assert response.status_code == 302
    pool = db.session.scalars(select(InterviewerPool)).one()
    assert pool.plan_stage_id is None
    for user, phase in ((dana, "qualified"), (tara, "shadow")):
        response = client.post(
            f"/team/pools/{pool.id}/members",
            data={f"pool-{pool.id}-user_id": str(user.id), f"pool-{pool.id}-phase": phase},
        )
        assert response.status_code == 302

    html = page(client)
    assert "Tara Trainee" in html and "0 of 2 shadow interviews held" in html
    member = db.session.scalars(select(PoolMember).where(PoolMember.user_id == tara.id)).one()
    member.phase_since = NOW - timedelta(days=9)
    seat(db, member, S, NOW - timedelta(days=2))
    db.session.commit()
    assert "1 of 2 shadow interviews held" in page(client)


def test_a_failed_add_shows_why_on_the_form(client, db, auth, team_setup):
    application, live, dana, tara, manager = team_setup
    pool = pools.create_pool(db.session, live.stage_type, actor=manager)
    auth.login(user=manager)

    response = client.post(f"/team/pools/{pool.id}/members", data={})

    assert response.status_code == 400
    assert "Choose an interviewer." in response.get_data(as_text=True)
    assert db.session.scalars(select(PoolMember)).all() == []


def test_a_manager_signs_off_changes_a_phase_and_removes_a_member(client, db, auth, team_setup):
    application, live, dana, tara, manager = team_setup
    pool = pools.create_pool(db.session, live.stage_type, actor=manager)
    member = pools.add_member(db.session, pool, tara, S, actor=manager)
    member_id = member.id
    auth.login(user=manager)

    assert client.post(f"/team/pools/members/{member_id}/sign-off").status_code == 302
    member = db.session.get(PoolMember, member_id)
    assert member.phase is Q and member.signed_off_by_id == manager.id
    assert "Signed off early by Maya Manager" in page(client)
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pool_member.signed_off")
    ).one()

    client.post(f"/team/pools/members/{member_id}/phase", data={"phase": "reverse_shadow"})
    assert db.session.get(PoolMember, member_id).phase is TrainingPhase.REVERSE_SHADOW

    client.post(f"/team/pools/members/{member_id}/remove")
    assert db.session.get(PoolMember, member_id) is None


def test_a_plan_stage_gets_its_own_pool_from_the_page(client, db, auth, team_setup):
    application, live, dana, tara, manager = team_setup
    auth.login(user=manager)
    field = f"type-{live.stage_type.id}-plan_stage_id"

    client.post(f"/team/pools/stage-types/{live.stage_type.id}/pool", data={field: str(live.id)})

    pool = db.session.scalars(select(InterviewerPool)).one()
    assert pool.plan_stage_id == live.id
    assert "(its own pool)" in page(client)


def test_another_teams_pool_member_and_stage_type_are_not_found(client, db, auth, team_setup):
    application, live, dana, tara, manager = team_setup
    other_application, (_, other_live) = make_plan()
    other_manager = factories.UserFactory(team=other_application.team, role=Role.ADMIN)
    theirs = pools.create_pool(db.session, other_live.stage_type, actor=other_manager)
    their_member = pools.add_member(
        db.session, theirs, make_interviewer(other_application.team), S, actor=other_manager
    )
    auth.login(user=manager)

    for path in (
        f"/team/pools/stage-types/{other_live.stage_type.id}/pool",
        f"/team/pools/{theirs.id}/members",
        f"/team/pools/{theirs.id}/delete",
        f"/team/pools/members/{their_member.id}/phase",
        f"/team/pools/members/{their_member.id}/sign-off",
        f"/team/pools/members/{their_member.id}/remove",
    ):
        assert client.post(path, data={"phase": "qualified"}).status_code == 404, path
    assert db.session.get(PoolMember, their_member.id).phase is S


def test_the_page_runs_the_same_queries_with_one_or_many_pools(
    client, db, auth, team_setup, count_queries
):
    application, live, dana, tara, manager = team_setup
    pool = pools.create_pool(db.session, live.stage_type, actor=manager)
    pools.add_member(db.session, pool, tara, S, actor=manager)
    auth.login(user=manager)

    def load() -> int:
        with count_queries() as counter:
            page(client)
        return counter.count

    load()
    few = load()
    for index in range(4):
        stage_type = factories.StageTypeFactory(team=application.team, key=f"extra_{index}")
        extra = pools.create_pool(db.session, stage_type, actor=manager)
        for person in range(3):
            user = make_interviewer(application.team, name=f"Extra {index} {person}")
            pools.add_member(db.session, extra, user, S if person else Q, actor=manager)
    db.session.commit()
    assert load() == few


def test_the_interview_page_lists_its_trainees(client, db, auth, team_setup):
    application, live, dana, tara, manager = team_setup
    pool = pools.create_pool(db.session, live.stage_type, actor=manager)
    pools.add_member(db.session, pool, dana, Q, actor=manager)
    pools.add_member(db.session, pool, tara, S, actor=manager)
    interview = book(db, application, live, at(MONDAY, 10), [dana])
    auth.login(user=manager)

    html = client.get(f"/interviews/{interview.id}").get_data(as_text=True)

    trainees = html.split("Trainees", 1)[1]
    assert "Tara Trainee" in trainees and "Shadow" in trainees


def test_the_schedule_page_refuses_someone_not_qualified_and_seats_a_trainee(
    client, db, auth, team_setup
):
    from tests.test_scheduling_pages import form_data, schedule_url

    application, live, dana, tara, manager = team_setup
    pool = pools.create_pool(db.session, live.stage_type, actor=manager)
    pools.add_member(db.session, pool, dana, Q, actor=manager)
    pools.add_member(db.session, pool, tara, S, actor=manager)
    auth.login(user=manager)

    offered = client.get(schedule_url(application, live)).get_data(as_text=True)
    assert f'name="panel" type="checkbox" value="{dana.id}"' in offered
    assert f'value="{tara.id}"' not in offered.split("Interviewers", 1)[1].split("</fieldset>")[0]

    refused = client.post(schedule_url(application, live), data=form_data([tara]))
    assert refused.status_code == 200
    assert (
        db.session.scalars(select(Interview).where(Interview.plan_stage_id == live.id)).all() == []
    )

    booked = client.post(schedule_url(application, live), data=form_data([dana]))
    assert booked.status_code == 302
    html = client.get(booked.headers["Location"]).get_data(as_text=True)
    assert "Tara Trainee" in html.split("Trainees", 1)[1]

    # The trainee hears of it as the panel does, and may open the interview's page.
    mail = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert {email.to_email for email in mail} >= {dana.email, tara.email}
    auth.login(user=tara)
    assert client.get(booked.headers["Location"]).status_code == 200
