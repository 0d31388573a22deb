"""The API's scorecards, decisions and reports: drafts saved with If-Match, submission with
the form's messages, the independence rule, decisions as on the debrief, report figures."""

from __future__ import annotations

import json

from interviewer.api import tokens
from interviewer.auth.models import Role
from interviewer.db import utcnow
from interviewer.scorecards import services
from interviewer.scorecards.models import Scorecard, ScorecardState
from tests import factories
from tests.api_support import bearer
from tests.test_scorecard_writing import make_interview, skills_of


def _start(client, interview, headers) -> tuple[dict, str]:
    response = client.post(f"/api/v1/interviews/{interview.id}/scorecard", headers=headers)
    assert response.status_code in (200, 201), response.json
    return response.json, response.headers["ETag"]


def _content(interview, score=3, evidence="Paginated the endpoint.", recommendation=3):
    skill = skills_of(interview)[0]
    return {
        "ratings": [{"skill_id": skill.id, "score": score, "evidence": evidence}],
        "key_takeaways": "Solid on APIs.",
        "recommendation": recommendation,
    }


def _submit_own(db, interview, user):
    """``user``'s complete scorecard of ``interview``, submitted through the services."""
    entries = services.kit_entries(db.session, interview)
    card = services.scorecard_for(db.session, interview, user, utcnow())
    data = services.ScorecardInput(
        ratings={entries[0].skill.id: services.RatingInput(2, "Walrus evidence")},
        key_takeaways="Walrus takeaways",
        recommendation=2,
    )
    services.submit(
        db.session, card, data, entries=entries, expected_lock=0, actor=user, now=utcnow()
    )
    db.session.commit()
    return card


def test_an_interviewer_drafts_saves_and_submits_their_scorecard(client, db):
    interview, (dana,) = make_interview()
    headers = bearer(dana, tokens.SCORECARDS_WRITE)

    card, tag = _start(client, interview, headers)
    saved = client.put(
        f"/api/v1/scorecards/{card['id']}",
        json=_content(interview),
        headers={**headers, "If-Match": tag},
    )
    submitted = client.post(
        f"/api/v1/scorecards/{card['id']}/submit",
        headers={**headers, "If-Match": saved.headers["ETag"]},
    )

    assert card["state"] == "draft" and saved.status_code == 200, saved.json
    assert saved.json["recommendation"] == 3 and saved.headers["ETag"] != tag
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["state"] == "submitted"
    assert db.session.get(Scorecard, card["id"]).state == ScorecardState.SUBMITTED
    again = client.put(
        f"/api/v1/scorecards/{card['id']}",
        json=_content(interview),
        headers={**headers, "If-Match": submitted.headers["ETag"]},
    )
    assert again.status_code == 409
    assert again.json["detail"] == "This scorecard is submitted and locked; amend it to change it."


def test_submitting_an_incomplete_scorecard_gives_the_forms_messages(client, db):
    interview, (dana,) = make_interview()
    headers = bearer(dana, tokens.SCORECARDS_WRITE)
    card, tag = _start(client, interview, headers)
    saved = client.put(
        f"/api/v1/scorecards/{card['id']}",
        json=_content(interview, evidence="", recommendation=None),
        headers={**headers, "If-Match": tag},
    )

    response = client.post(
        f"/api/v1/scorecards/{card['id']}/submit",
        headers={**headers, "If-Match": saved.headers["ETag"]},
    )

    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json["errors"]}
    skill = skills_of(interview)[0]
    assert messages["recommendation"] == "Choose your overall recommendation."
    assert messages[f"ratings.{skill.id}.evidence"] == "Write the evidence behind this rating."


def test_a_save_without_if_match_is_428_and_a_stale_one_412(client, db):
    interview, (dana,) = make_interview()
    first = bearer(dana, tokens.SCORECARDS_WRITE)
    second = bearer(dana, tokens.SCORECARDS_WRITE)
    card, tag = _start(client, interview, first)
    path = f"/api/v1/scorecards/{card['id']}"

    missing = client.put(path, json=_content(interview), headers=first)
    one = client.put(path, json=_content(interview), headers={**first, "If-Match": tag})
    two = client.put(path, json=_content(interview, score=1), headers={**second, "If-Match": tag})

    assert missing.status_code == 428
    assert one.status_code == 200
    assert two.status_code == 412
    assert two.json["detail"] == "This scorecard was changed in another tab or by another save."
    assert db.session.get(Scorecard, card["id"]).ratings[0].score in (3, None)


def test_a_read_only_token_cannot_save_and_nobody_writes_anothers_scorecard(client, db):
    interview, (dana, lee) = make_interview(panel=2)
    card, tag = _start(client, interview, bearer(dana, tokens.SCORECARDS_WRITE))
    path = f"/api/v1/scorecards/{card['id']}"

    read_only = client.put(
        path, json=_content(interview), headers={**bearer(dana, tokens.READ), "If-Match": tag}
    )
    by_lee = client.put(path, json=_content(interview), headers={**bearer(lee), "If-Match": tag})

    assert read_only.status_code == 403
    assert by_lee.status_code == 403
    assert by_lee.json["detail"] == "Only the interviewer who wrote a scorecard changes it."


def test_a_scorecard_opens_once_the_interview_has_started(client, db):
    interview, (dana,) = make_interview(started=False)

    response = client.post(f"/api/v1/interviews/{interview.id}/scorecard", headers=bearer(dana))

    assert response.status_code == 422
    assert response.json["detail"] == "You can write your scorecard once the interview has started."


def test_an_interviewer_who_has_not_submitted_sees_no_colleagues_scorecard(client, db):
    interview, (dana, lee) = make_interview(panel=2)
    theirs = _submit_own(db, interview, lee)
    manager = factories.UserFactory(team=interview.team, role=Role.HIRING_MANAGER)
    headers = bearer(dana)
    application_id = interview.application_id
    paths = [
        f"/api/v1/scorecards/{theirs.id}",
        f"/api/v1/applications/{application_id}/scorecards",
        f"/api/v1/applications/{application_id}/decision",
        f"/api/v1/interviews/{interview.id}",
        "/api/v1/interviews",
        "/api/v1/reports/calibration",
    ]

    answers = {path: client.get(path, headers=headers) for path in paths}

    for path, response in answers.items():
        text = response.get_data(as_text=True)
        assert "Walrus" not in text, path
        assert '"recommendation": 2' not in json.dumps(response.json), path
    assert answers[paths[0]].status_code == 403
    assert answers[paths[1]].json == []
    assert answers[paths[2]].status_code == 403

    # Once Dana's own is in, the colleague's opens; managers see it at any time.
    _submit_own(db, interview, dana)
    opened = client.get(paths[0], headers=headers)
    assert opened.status_code == 200 and opened.json["key_takeaways"] == "Walrus takeaways"
    listed = client.get(paths[1], headers=headers).json
    assert {card["interviewer"]["user_id"] for card in listed} == {dana.id, lee.id}
    assert client.get(paths[0], headers=bearer(manager)).status_code == 200


def test_another_teams_scorecard_is_404(client, db):
    interview, (dana,) = make_interview()
    other, (theirs,) = make_interview()
    card = _submit_own(db, other, theirs)

    assert client.get(f"/api/v1/scorecards/{card.id}", headers=bearer(dana)).status_code == 404
    assert (
        client.post(f"/api/v1/interviews/{other.id}/scorecard", headers=bearer(dana)).status_code
        == 404
    )


def test_the_scorecard_list_runs_the_same_queries_with_3_or_30(client, db, count_queries):
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    interview, people = make_interview(panel=30, team=team)
    headers = bearer(manager)
    path = f"/api/v1/applications/{interview.application_id}/scorecards"

    def counted(expected):
        client.get(path, headers=headers)
        with count_queries() as counter:
            assert len(client.get(path, headers=headers).json) == expected
        return len(counter.statements)

    for person in people[:3]:
        _submit_own(db, interview, person)
    few = counted(3)
    for person in people[3:]:
        _submit_own(db, interview, person)
    assert counted(30) == few


def test_a_manager_records_a_decision_with_the_debriefs_rules(client, db):
    interview, (dana,) = make_interview()
    manager = factories.UserFactory(team=interview.team, role=Role.HIRING_MANAGER)
    path = f"/api/v1/applications/{interview.application_id}/decision"
    headers = bearer(manager)
    body = {"outcome": "reject", "rationale": "Below the bar.", "reason": "Position filled"}

    no_outcome = client.post(path, json={}, headers=headers)
    no_rationale = client.post(path, json={**body, "rationale": ""}, headers=headers)
    missing = client.post(path, json=body, headers=headers)
    by_interviewer = client.post(path, json=body, headers=bearer(dana))
    none_yet = client.get(path, headers=headers)

    assert no_outcome.json["detail"] == "Choose a decision."
    assert no_rationale.json["detail"] == "Say why: the rationale is kept with the decision."
    assert missing.status_code == 409 and "scorecard is missing" in missing.json["detail"]
    assert by_interviewer.status_code == 403
    assert none_yet.status_code == 404

    recorded = client.post(path, json={**body, "confirm_missing": True}, headers=headers)
    assert recorded.status_code == 201, recorded.json
    assert recorded.json["outcome"] == "reject"
    assert recorded.json["summary"].startswith("Decision recorded: reject.")
    shown = client.get(path, headers=headers)
    assert shown.json["id"] == recorded.json["id"]
    assert shown.json["decided_by"]["user_id"] == manager.id


def test_reports_give_their_figures_to_managers_and_fairness_to_admins(client, db):
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    admin = factories.UserFactory(team=team, role=Role.ADMIN)
    interviewer = factories.UserFactory(team=team, role=Role.INTERVIEWER)
    factories.ApplicationFactory(team=team)
    headers = bearer(manager)

    funnel = client.get("/api/v1/reports/funnel", headers=headers)
    calibration = client.get("/api/v1/reports/calibration?from=2026-01-01", headers=headers)
    backwards = client.get("/api/v1/reports/funnel?from=2026-06-01&to=2026-01-01", headers=headers)
    their_job = client.get(
        f"/api/v1/reports/funnel?job={factories.JobFactory().id}", headers=headers
    )

    assert funnel.status_code == 200, funnel.json
    assert funnel.json["columns"][0] and funnel.json["rows"][-1]["Stage"] == "Offer"
    assert calibration.status_code == 200 and calibration.json["from"] == "2026-01-01"
    assert backwards.status_code == 422
    assert backwards.json["detail"] == "The start date is after the end date."
    assert their_job.status_code == 404
    for name in ("speed", "load", "reliability"):
        assert client.get(f"/api/v1/reports/{name}", headers=headers).status_code == 200
    assert client.get("/api/v1/reports/fairness", headers=headers).status_code == 403
    assert client.get("/api/v1/reports/fairness", headers=bearer(admin)).status_code == 200
    assert client.get("/api/v1/reports/funnel", headers=bearer(interviewer)).status_code == 403
    assert client.get("/api/v1/reports/nope", headers=headers).status_code == 404
