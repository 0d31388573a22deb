"""Moving an application through its plan: every legal move, illegal ones refused, the history."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates import pipeline
from interviewer.candidates.models import ApplicationStatus as S
from interviewer.candidates.pipeline import ALLOWED_MOVES, Move, MoveError
from tests import factories

STAGES = ("Screen", "Live coding", "System design")
REJECT_REASON = "Skills below the level's bar"
WITHDRAW_REASON = "Accepted another offer"


def plan(team, names=STAGES):
    """A job of ``team`` with a plan of ``names``, in order."""
    job = factories.JobFactory(team=team, title="Senior Backend Developer")
    stages = [
        factories.PlanStageFactory(
            team=team,
            job=job,
            position=position,
            name=name,
            stage_type=factories.StageTypeFactory(team=team, key=name.lower().replace(" ", "_")),
        )
        for position, name in enumerate(names, start=1)
    ]
    return job, stages


def application_at(team, stage_index=0, status=S.ACTIVE, **fields):
    job, stages = plan(team)
    application = factories.ApplicationFactory(
        team=team,
        job=job,
        current_stage=stages[stage_index],
        status=status,
        stage_entered_at=datetime.now(UTC) - timedelta(days=9),
        candidate__name="Aisha Bello",
        **fields,
    )
    return application, stages


def post_move(client, application, move, **data):
    return client.post(f"/candidates/applications/{application.id}/{move}", data=data)


def move_events(db, application):
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_id == application.id, AuditEvent.action == "application.moved")
        .order_by(AuditEvent.id)
    ).all()


#: (status, stage index) before, move, form data, (status, stage index) after.
LEGAL_MOVES = [
    (S.ACTIVE, 0, Move.ADVANCE, {}, S.ACTIVE, 1),
    (S.ACTIVE, 1, Move.BACK, {"reason": "Screen notes were missing"}, S.ACTIVE, 0),
    (S.ACTIVE, 2, Move.OFFER, {}, S.OFFER, 2),
    (S.ACTIVE, 0, Move.HOLD, {"note": "Travelling for two weeks"}, S.ON_HOLD, 0),
    (S.ACTIVE, 1, Move.REJECT, {"reason": REJECT_REASON, "note": "Weak on SQL"}, S.REJECTED, 1),
    (S.ACTIVE, 1, Move.WITHDRAW, {"reason": WITHDRAW_REASON}, S.WITHDRAWN, 1),
    (S.ON_HOLD, 0, Move.RESUME, {}, S.ACTIVE, 0),
    (S.ON_HOLD, 1, Move.REJECT, {"reason": "Position filled"}, S.REJECTED, 1),
    (S.ON_HOLD, 1, Move.WITHDRAW, {"reason": "Personal reasons"}, S.WITHDRAWN, 1),
    (S.OFFER, 2, Move.HIRE, {}, S.HIRED, 2),
    (S.OFFER, 2, Move.BACK, {"reason": "Panel wants a second design round"}, S.ACTIVE, 2),
    (S.OFFER, 2, Move.REJECT, {"reason": "Position filled"}, S.REJECTED, 2),
    (S.OFFER, 2, Move.WITHDRAW, {"reason": "Compensation expectations"}, S.WITHDRAWN, 2),
    (S.REJECTED, 1, Move.REOPEN, {}, S.ACTIVE, 1),
    (S.WITHDRAWN, 1, Move.REOPEN, {}, S.ACTIVE, 1),
]


def test_the_legal_move_tests_cover_the_whole_state_machine():
    tested = {(status, move) for status, _, move, _, _, _ in LEGAL_MOVES}
    allowed = {(status, move) for status, moves in ALLOWED_MOVES.items() for move in moves}
    assert tested == allowed


@pytest.mark.parametrize(
    ("status", "index", "move", "data", "after", "after_index"),
    LEGAL_MOVES,
    ids=[f"{s.value}-{m.value}" for s, _, m, _, _, _ in LEGAL_MOVES],
)
def test_a_manager_makes_every_legal_move(
    client, auth, db, status, index, move, data, after, after_index
):
    manager = auth.login(Role.HIRING_MANAGER)
    closed = status in (S.REJECTED, S.WITHDRAWN)
    application, stages = application_at(
        manager.team,
        index,
        status,
        exit_reason="Position filled" if closed else None,
        closed_at=datetime.now(UTC) if closed else None,
    )
    entered = application.stage_entered_at

    response = post_move(client, application, move.value, **data)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/candidates/{application.candidate_id}"
    db.session.refresh(application)
    assert application.status is after
    assert application.current_stage == stages[after_index]
    assert (application.closed_at is not None) == after.is_closed
    if move in (Move.REJECT, Move.WITHDRAW):
        assert application.exit_reason == data["reason"]
        assert application.exit_note == data.get("note", "")
    if move is Move.REOPEN:
        assert application.exit_reason is None
    if move in (Move.ADVANCE, Move.BACK, Move.OFFER, Move.HIRE, Move.REOPEN):
        assert application.stage_entered_at > entered
    else:
        assert application.stage_entered_at == entered
    [event] = move_events(db, application)
    assert event.actor == manager
    assert event.data["move"] == move.value
    assert event.data["from_status"] == status.value
    assert event.data["to_status"] == after.value
    assert event.data["from_stage"] == stages[index].name
    assert event.data["to_stage"] == stages[after_index].name
    assert event.data["reason"] == data.get("reason")


def test_the_result_of_a_move_is_flashed(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 0)

    response = client.post(
        f"/candidates/applications/{application.id}/advance", follow_redirects=True
    )

    assert "Aisha Bello is now at Live coding." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("status", "index", "move", "data", "message"),
    [
        (
            S.HIRED,
            2,
            "back",
            {"reason": "Changed our mind"},
            "A hired application cannot move back to Live coding.",
        ),
        (
            S.HIRED,
            2,
            "reject",
            {"reason": REJECT_REASON},
            "A hired application cannot be rejected.",
        ),
        (
            S.REJECTED,
            1,
            "advance",
            {},
            "A rejected application cannot move forward to System design.",
        ),
        (S.WITHDRAWN, 1, "offer", {}, "A withdrawn application cannot get an offer."),
        (
            S.ON_HOLD,
            1,
            "advance",
            {},
            "An application on hold cannot move forward to System design.",
        ),
        (S.ACTIVE, 1, "hire", {}, "An active application cannot be hired."),
        (S.ACTIVE, 1, "reopen", {}, "An active application cannot be reopened."),
        (S.OFFER, 2, "offer", {}, "An application at offer cannot get an offer."),
        (
            S.ACTIVE,
            2,
            "advance",
            {},
            "System design is the last stage of the plan: make an offer instead.",
        ),
        (
            S.ACTIVE,
            0,
            "back",
            {"reason": "Oops"},
            "Screen is the first stage of the plan; there is no stage before it.",
        ),
        (
            S.ACTIVE,
            1,
            "offer",
            {},
            "An offer comes after the last stage (System design); move the application forward",
        ),
    ],
)
def test_an_illegal_move_is_refused_with_a_message_and_changes_nothing(
    client, auth, db, status, index, move, data, message
):
    manager = auth.login(Role.HIRING_MANAGER)
    application, stages = application_at(manager.team, index, status)

    response = client.post(
        f"/candidates/applications/{application.id}/{move}", data=data, follow_redirects=True
    )

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status is status
    assert application.current_stage == stages[index]
    assert move_events(db, application) == []


@pytest.mark.parametrize(
    ("move", "data", "message"),
    [
        ("back", {}, "Say why the application moves back."),
        ("back", {"reason": "   "}, "Say why the application moves back."),
        ("reject", {}, "Choose a reason from the list."),
        ("reject", {"reason": "Too old"}, "Not a valid choice."),
        ("withdraw", {}, "Choose a reason from the list."),
    ],
)
def test_a_move_without_its_reason_shows_the_form_again_with_a_message(
    client, auth, db, move, data, message
):
    manager = auth.login(Role.HIRING_MANAGER)
    application, stages = application_at(manager.team, 1)

    response = post_move(client, application, move, note="Kept note", **data)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "Kept note" in html
    db.session.refresh(application)
    assert application.status is S.ACTIVE
    assert application.current_stage == stages[1]
    assert move_events(db, application) == []


def test_the_reject_page_offers_the_team_reasons(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 1)

    response = client.get(f"/candidates/applications/{application.id}/reject?next=/jobs")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for reason in pipeline.REJECT_REASONS:
        assert f">{reason}</option>".replace("'", "&#39;") in html
    assert 'name="next" type="hidden" value="/jobs"' in html


def test_opening_the_page_of_an_illegal_move_says_why(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 1, S.HIRED)

    response = client.get(
        f"/candidates/applications/{application.id}/reject", follow_redirects=True
    )

    assert "A hired application cannot be rejected." in response.get_data(as_text=True)


def test_an_unknown_move_is_not_found(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 1)

    assert post_move(client, application, "promote").status_code == 404


def test_a_move_returns_to_a_page_on_this_site_only(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 0)
    board = f"/jobs/{application.job_id}/board?status=all"

    to_board = post_move(client, application, "advance", next=board)
    elsewhere = post_move(client, application, "back", reason="x", next="https://evil.example")

    assert to_board.headers["Location"] == board
    assert elsewhere.headers["Location"] == f"/candidates/{application.candidate_id}"


def test_an_interviewer_cannot_move_an_application(client, auth, db):
    interviewer = auth.login(Role.INTERVIEWER)
    application, stages = application_at(interviewer.team, 0)

    assert post_move(client, application, "advance").status_code == 403
    assert client.get(f"/candidates/applications/{application.id}/reject").status_code == 403
    db.session.refresh(application)
    assert application.current_stage == stages[0]


def test_another_teams_application_is_not_found(client, auth, db):
    auth.login(Role.HIRING_MANAGER)
    application, stages = application_at(factories.TeamFactory(), 0)

    assert post_move(client, application, "advance").status_code == 404
    assert client.get(f"/candidates/applications/{application.id}/reject").status_code == 404
    db.session.refresh(application)
    assert application.current_stage == stages[0]


def test_the_candidate_page_shows_each_move_in_the_history_newest_first(client, auth):
    manager = auth.login(Role.ADMIN, name="Dana Manager", timezone="Asia/Tokyo")
    application, _ = application_at(manager.team, 0)
    post_move(client, application, "advance")
    post_move(client, application, "hold", note="Travelling")
    post_move(client, application, "resume")
    post_move(client, application, "back", reason="Screen notes were missing")
    post_move(client, application, "reject", reason=REJECT_REASON, note="Weak on SQL")

    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)

    lines = [
        "Rejected at Screen",
        "Moved back to Screen",
        "Resumed at Live coding",
        "Put on hold at Live coding",
        "Moved forward from Screen to Live coding",
    ]
    positions = [html.index(line) for line in lines]
    assert positions == sorted(positions)
    assert "Screen notes were missing" in html
    assert "Skills below the level&#39;s bar" in html
    assert "Weak on SQL" in html
    assert html.count("Dana Manager · <time") == 5
    assert re.search(r"\d\d:\d\d JST", html)


def test_the_candidate_page_offers_the_moves_the_application_can_make(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 1)

    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)

    for label in ("Move to System design", "Move back to Screen…", "Put on hold", "Reject…"):
        assert label in html
    assert "Make an offer" not in html
    assert "Mark hired" not in html


def test_a_hired_application_offers_no_moves(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 2, S.HIRED)

    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)

    assert "Hired: no further moves." in html
    assert "/candidates/applications/" not in html


def test_the_move_service_refuses_a_reason_outside_the_list(db):
    application, _ = application_at(factories.TeamFactory(), 1)

    with pytest.raises(MoveError, match="Choose a reason from the list"):
        pipeline.move(db.session, application, Move.REJECT, None, reason="Too old")


def test_the_move_service_records_the_time_it_is_given(db):
    application, stages = application_at(factories.TeamFactory(), 0)
    now = datetime(2030, 5, 6, 7, 8, tzinfo=UTC)

    pipeline.move(db.session, application, Move.ADVANCE, None, now=now)
    pipeline.move(db.session, application, Move.REJECT, None, reason="Other", now=now)

    assert application.stage_entered_at == now
    assert application.closed_at == now
    assert application.current_stage == stages[1]
    assert pipeline.days_in_stage(application, now + timedelta(days=3, hours=5)) == 3


def test_the_history_reads_events_recorded_with_fewer_details(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application, _ = application_at(manager.team, 1)
    for action, data in (
        ("application.moved", {"to_stage": "Live coding"}),
        ("application.status_changed", {"status": "on_hold", "reason": "Travelling"}),
    ):
        factories.AuditEventFactory(
            team=manager.team, actor=manager, action=action, subject_id=application.id, data=data
        )

    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)

    assert "Moved to Live coding" in html
    assert "Status changed to on hold: <em>Travelling</em>" in html


@pytest.mark.parametrize(
    ("stage_index", "status"),
    [(0, S.ACTIVE), (1, S.ACTIVE), (2, S.ACTIVE), (1, S.ON_HOLD), (2, S.OFFER), (0, S.REJECTED)],
)
def test_the_moves_with_their_targets_are_the_moves_check_move_allows(db, stage_index, status):
    team = factories.TeamFactory()
    application, stages = application_at(team, stage_index, status)

    moves = pipeline.moves_with_targets(application, stages)

    assert [option for option, _ in moves] == pipeline.available_moves(application, stages)
    assert {option.move for option, _ in moves} == {
        move for move in Move if _allowed(application, move, stages)
    }
    for option, target in moves:
        assert target == pipeline.check_move(application, option.move, stages)


def _allowed(application, move, stages) -> bool:
    try:
        pipeline.check_move(application, move, stages)
    except MoveError:
        return False
    return True
