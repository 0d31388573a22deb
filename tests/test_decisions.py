"""Recording a decision on the debrief: the Decision, its audit event and the move it makes;
missing scorecards need a confirmation; illegal moves are refused and nothing is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus as S
from interviewer.candidates.pipeline import MoveError
from interviewer.scorecards import decisions
from interviewer.scorecards.models import Decision, DecisionOutcome, ScorecardState
from tests import factories
from tests.test_debrief import debrief_url, make_loop, person

REJECT_REASON = "Skills below the level's bar"


def decide(client, application, **data):
    return client.post(f"/applications/{application.id}/decisions", data=data)


def submitted_loop(team, stage="Live coding"):
    """An application at ``stage`` whose one past interview has a submitted scorecard."""
    loop = make_loop(team)
    loop.application.current_stage = loop.stages[stage]
    priya = person(team, "Priya Raman")
    loop.interview("Live coding", priya)
    loop.scorecard("Live coding", priya, {"API design": 3, "Testing": 3})
    return loop


def decisions_of(db, application):
    return db.session.scalars(
        select(Decision).where(Decision.application_id == application.id)
    ).all()


def events(db, action):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_advancing_records_the_decision_moves_the_application_and_audits_both(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = submitted_loop(manager.team)
    application = loop.application

    response = decide(
        client, application, outcome="advance", rationale="Meets the bar in API design."
    )

    assert response.status_code == 302
    assert response.headers["Location"] == debrief_url(application)
    db.session.refresh(application)
    assert application.status is S.ACTIVE
    assert application.current_stage == loop.stages["System design"]
    [decision] = decisions_of(db, application)
    assert decision.outcome is DecisionOutcome.ADVANCE
    assert decision.rationale == "Meets the bar in API design."
    assert decision.decided_by == manager
    [recorded] = events(db, "decision.recorded")
    assert recorded.subject_type == "decision" and recorded.subject_id == decision.id
    assert recorded.actor == manager
    assert recorded.data["outcome"] == "advance"
    assert recorded.data["application_id"] == application.id
    assert recorded.data["missing_scorecards"] == []
    [moved] = events(db, "application.moved")
    assert moved.data["move"] == "advance" and moved.data["to_stage"] == "System design"
    assert moved.data["note"] == "Meets the bar in API design."

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Decision recorded: advance. Kenji Watanabe is now at System design." in page
    listed = page[page.index("Decisions recorded") :]
    assert "Meets the bar in API design." in listed
    assert manager.name in listed


def test_rejecting_needs_a_reason_from_the_pipelines_list(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    application = submitted_loop(manager.team).application

    response = decide(client, application, outcome="reject", rationale="Below the bar.")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Choose a rejection reason." in html
    assert "Nothing was recorded" in html
    assert decisions_of(db, application) == []

    response = decide(
        client, application, outcome="reject", rationale="Below the bar.", reason=REJECT_REASON
    )

    assert response.status_code == 302
    db.session.refresh(application)
    assert application.status is S.REJECTED
    assert application.exit_reason == REJECT_REASON
    assert application.exit_note == "Below the bar."
    [decision] = decisions_of(db, application)
    assert decision.outcome is DecisionOutcome.REJECT
    assert events(db, "decision.recorded")[0].data["reason"] == REJECT_REASON


def test_a_reason_outside_the_list_is_refused(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    application = submitted_loop(manager.team).application

    response = decide(
        client, application, outcome="reject", rationale="No.", reason="Did not like them"
    )

    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert decisions_of(db, application) == []


def test_a_rationale_is_required_and_the_input_is_kept(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    application = submitted_loop(manager.team).application

    response = decide(client, application, outcome="advance", rationale="   ")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Say why: the rationale is kept with the decision." in html
    assert 'value="advance" checked' in html
    assert decisions_of(db, application) == []
    assert events(db, "application.moved") == []


def test_missing_scorecards_ask_for_a_confirmation_first(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    loop.application.current_stage = loop.stages["Live coding"]
    priya, marcus = person(loop.team, "Priya Raman"), person(loop.team, "Marcus Johnson")
    loop.interview("Live coding", priya, marcus)
    loop.scorecard("Live coding", priya, {"API design": 3})
    loop.scorecard("Live coding", marcus, {"API design": 2}, state=ScorecardState.DRAFT)
    application = loop.application
    data = {"outcome": "advance", "rationale": "Strong enough on API design to go on."}

    response = decide(client, application, **data)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    warning = html[html.index('id="missing-warning"') :]
    assert "1 scorecard is missing." in warning
    assert "Marcus Johnson, Live coding (draft)" in warning
    assert "Decide anyway" in html
    assert "Strong enough on API design to go on.</textarea>" in html
    assert 'value="advance" checked' in html
    assert decisions_of(db, application) == []
    db.session.refresh(application)
    assert application.current_stage == loop.stages["Live coding"]

    response = decide(client, application, confirm_missing="y", **data)

    assert response.status_code == 302
    db.session.refresh(application)
    assert application.current_stage == loop.stages["System design"]
    [decision] = decisions_of(db, application)
    [recorded] = events(db, "decision.recorded")
    assert recorded.data["missing_scorecards"] == ["Marcus Johnson (Live coding, draft)"]
    assert decision.outcome is DecisionOutcome.ADVANCE


def test_the_page_warns_ahead_that_scorecards_are_missing(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    loop.interview("Live coding", person(loop.team, "Priya Raman"))

    html = client.get(debrief_url(loop.application)).get_data(as_text=True)

    assert "1 scorecard is still missing: you will be asked to confirm." in html
    assert "Decide anyway" not in html


@pytest.mark.parametrize(
    ("outcome", "stage", "message"),
    [
        ("hire", "Live coding", "An active application cannot be hired."),
        (
            "advance",
            "System design",
            "System design is the last stage of the plan: make an offer instead.",
        ),
        ("offer", "Live coding", "An offer comes after the last stage (System design)"),
    ],
)
def test_an_illegal_move_is_refused_with_the_pipelines_message(
    client, auth, db, outcome, stage, message
):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = submitted_loop(manager.team, stage=stage)
    application = loop.application

    response = decide(
        client, application, outcome=outcome, rationale="Let's go.", confirm_missing="y"
    )

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "Nothing was recorded" in html
    assert decisions_of(db, application) == []
    assert events(db, "decision.recorded") == []
    assert events(db, "application.moved") == []
    db.session.refresh(application)
    assert application.status is S.ACTIVE
    assert application.current_stage == loop.stages[stage]


def test_an_offer_after_the_last_stage_then_a_hire(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    application = submitted_loop(manager.team, stage="System design").application

    assert decide(client, application, outcome="offer", rationale="Clear yes.").status_code == 302
    db.session.refresh(application)
    assert application.status is S.OFFER

    response = decide(client, application, outcome="hire", rationale="Accepted the offer.")

    assert response.status_code == 302
    db.session.refresh(application)
    assert application.status is S.HIRED
    assert [d.outcome for d in decisions_of(db, application)] == [
        DecisionOutcome.OFFER,
        DecisionOutcome.HIRE,
    ]
    html = client.get(debrief_url(application)).get_data(as_text=True)
    assert html.index("Accepted the offer.") < html.index("Clear yes.")


def test_the_form_says_which_outcomes_the_pipeline_allows_now(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    application = submitted_loop(manager.team).application

    html = client.get(debrief_url(application)).get_data(as_text=True)

    assert "Moves to System design." in html
    assert "Not possible now: An active application cannot be hired." in html


def test_an_interviewer_cannot_record_a_decision(client, auth, db):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    loop = submitted_loop(manager.team)
    auth.login(Role.INTERVIEWER, user=loop.interviews["Live coding"].panel[0].user)

    response = decide(client, loop.application, outcome="advance", rationale="Yes.")

    assert response.status_code == 403
    assert decisions_of(db, loop.application) == []


def test_another_teams_application_cannot_be_decided(client, auth, db):
    auth.login(Role.HIRING_MANAGER)
    other = submitted_loop(factories.TeamFactory())

    response = decide(client, other.application, outcome="advance", rationale="Yes.")

    assert response.status_code == 404
    assert decisions_of(db, other.application) == []


def test_the_service_refuses_an_illegal_move_without_adding_anything(db):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    application = submitted_loop(manager.team).application
    db.session.flush()

    with pytest.raises(MoveError, match="cannot be hired"):
        decisions.record_decision(db.session, application, manager, outcome="hire", rationale="Go.")

    assert not db.session.new
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_the_service_needs_a_rationale(db):
    manager = factories.UserFactory(role=Role.HIRING_MANAGER)
    application = submitted_loop(manager.team).application

    with pytest.raises(decisions.DecisionError, match="Say why"):
        decisions.record_decision(
            db.session, application, manager, outcome="advance", rationale=" "
        )


def test_an_illegal_move_is_reported_before_missing_scorecards(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    loop = make_loop(manager.team)
    loop.interview("Live coding", person(loop.team, "Priya Raman"))

    response = decide(client, loop.application, outcome="hire", rationale="Go.")

    html = response.get_data(as_text=True)
    assert "An active application cannot be hired." in html
    assert 'id="missing-warning"' not in html
    assert decisions_of(db, loop.application) == []


def test_a_hired_application_offers_no_decision(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    application = submitted_loop(manager.team, stage="System design").application
    application.status = S.HIRED

    html = client.get(debrief_url(application)).get_data(as_text=True)

    assert "No decision can move this application now: it is hired." in html
    assert "Record decision" not in html
