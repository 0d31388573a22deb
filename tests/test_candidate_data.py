"""A candidate's data under their control: an admin exports everything the team holds about
them, and erases it on request, keeping ratings, stages and dates so reports still add up."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, Candidate
from interviewer.candidates.portal_links import make_token
from interviewer.candidates.signals import (
    ExportPart,
    candidate_erasing,
    candidate_erasure_summary,
    candidate_export,
)
from interviewer.db import utcnow
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.privacy import erasure
from interviewer.scheduling.closing import cancel_remaining_interviews
from interviewer.scheduling.conflicts import SchedulingError, check_request
from interviewer.scorecards.models import Decision, Rating, Scorecard, ScorecardRevision
from tests import factories
from tests.test_tenancy_walk import MARK_A, build_team, snapshot

#: What the candidate of ``build_team`` is called, and their address.
NAME, EMAIL = f"Ottoline {MARK_A}", f"ottoline@{MARK_A.lower()}.example"


class Setup:
    """The walk's team A: a candidate with an application, two interviews (one to come), a
    submitted and amended scorecard, a draft, a decision, proposed windows and emails."""

    def __init__(self, app, db, close: bool = True) -> None:
        self.rows = build_team(app, db, MARK_A)
        self.db = db
        self.team = self.rows.team
        self.admin = self.rows.users[Role.ADMIN]
        self.manager = self.rows.users[Role.HIRING_MANAGER]
        self.candidate = db.session.get(Candidate, self.rows.ids["candidate_id"][0])
        self.application = db.session.get(Application, self.rows.ids["application_id"][0])
        self.candidate.phone = "+44 20 7946 0000"
        self.candidate.timezone = "Europe/London"
        self.application.portal_timezone = "Europe/Lisbon"
        if close:
            self.close()

    def close(self) -> None:
        """Reject the application, with a note naming the candidate, cancelling what is left."""
        session = self.db.session
        pipeline.move(
            session,
            self.application,
            "reject",
            self.manager,
            reason=pipeline.REJECT_REASONS[0],
            note=f"Told {NAME} on the phone",
        )
        cancel_remaining_interviews(session, self.application, actor=self.manager)
        session.flush()


@pytest.fixture
def setup(app, db) -> Setup:
    return Setup(app, db)


def export(client, candidate_id: int):
    return client.post(f"/candidates/{candidate_id}/export")


def read_zip(response) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("candidate.json")), files


def is_rfc3339_utc(value: str) -> bool:
    return value.endswith("Z") and datetime.fromisoformat(value).utcoffset() == timedelta(0)


# Export --------------------------------------------------------------------------------------


def test_an_admin_exports_everything_the_team_holds_about_a_candidate(client, auth, db, setup):
    auth.login(user=setup.admin)

    response = export(client, setup.candidate.id)

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data, files = read_zip(response)
    # Team A's application came with a CV: the one file of the ZIP.
    assert list(files) == [part["file"] for part in data["cv_files"]]
    person = data["candidate"]
    assert (person["name"], person["email"], person["phone"]) == (
        NAME,
        EMAIL,
        "+44 20 7946 0000",
    )
    assert person["links"] == [f"https://{MARK_A.lower()}.example/ottoline"]
    assert person["notes"] == f"{MARK_A} candidate notes"
    assert person["timezone"] == "Europe/London"
    [application] = data["applications"]
    assert application["job"] == f"{MARK_A} Backend Developer"
    assert application["plan"] == [f"{MARK_A} live coding", f"{MARK_A} system design"]
    assert application["status"] == "rejected"
    assert application["exit_reason"] == pipeline.REJECT_REASONS[0]
    assert application["exit_note"] == f"Told {NAME} on the phone"
    assert is_rfc3339_utc(application["closed_at"]) and is_rfc3339_utc(application["applied_at"])
    assert {event["action"] for event in application["history"]} >= {"application.moved"}
    assert [i["status"] for i in application["interviews"]] == ["scheduled", "cancelled"]
    cards = {card["state"]: card for card in application["scorecards"]}
    submitted = cards["submitted"]
    assert submitted["recommendation"] == 4 and submitted["version"] == 2
    assert submitted["key_takeaways"] == f"{MARK_A} amended takeaways"
    assert {r["evidence"] for r in submitted["ratings"]} == {
        f"{MARK_A} amended evidence on {MARK_A} API design",
        f"{MARK_A} amended evidence on {MARK_A} Testing",
    }
    assert [v["number"] for v in submitted["versions"]] == [1, 2]
    assert cards["draft"]["recommendation"] == 2
    [decision] = application["decisions"]
    assert decision["rationale"] == f"{MARK_A} rationale"
    assert application["portal"]["timezone"] == "Europe/Lisbon"
    [window] = application["portal"]["proposed_windows"]
    assert is_rfc3339_utc(window["starts_at"])
    assert data["emails"] and {email["to"] for email in data["emails"]} == {EMAIL}
    assert all(is_rfc3339_utc(email["queued_at"]) for email in data["emails"])
    assert is_rfc3339_utc(data["exported_at"])


def test_each_export_is_an_audit_event_without_the_data(client, auth, db, setup):
    auth.login(user=setup.admin)

    export(client, setup.candidate.id)
    export(client, setup.candidate.id)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "candidate.exported")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in events] == [
        (setup.admin.id, setup.candidate.id)
    ] * 2
    assert all(e.data == {} for e in events)


def test_other_features_add_their_parts_and_files_to_the_export(client, auth, db, setup):
    def cv_files(candidate):
        return ExportPart(
            name="portfolio",
            data=[{"name": "cv.pdf", "size": 8}],
            files={"cv.pdf": b"%PDF-1.4", "../../etc/passwd": b"no"},
        )

    auth.login(user=setup.admin)
    with candidate_export.connected_to(cv_files):
        response = export(client, setup.candidate.id)

    data, files = read_zip(response)
    assert data["portfolio"] == [{"name": "cv.pdf", "size": 8}]
    assert files["files/cv.pdf"] == b"%PDF-1.4"
    assert files["files/etc/passwd"] == b"no"
    assert not any(".." in path for path in files)


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_export_or_erase(client, auth, db, setup, role):
    auth.login(role, team=setup.team)

    assert export(client, setup.candidate.id).status_code == 403
    assert client.get(f"/candidates/{setup.candidate.id}/erase").status_code == 403
    refused = client.post(f"/candidates/{setup.candidate.id}/erase", data={"confirmation": NAME})
    assert refused.status_code == 403
    assert setup.candidate.erased_at is None


def test_another_teams_candidate_is_not_found(client, auth, db, setup):
    auth.login(Role.ADMIN)

    assert export(client, setup.candidate.id).status_code == 404
    assert client.get(f"/candidates/{setup.candidate.id}/erase").status_code == 404
    refused = client.post(f"/candidates/{setup.candidate.id}/erase", data={"confirmation": NAME})
    assert refused.status_code == 404
    assert setup.candidate.erased_at is None


def test_the_candidate_page_offers_admins_the_export_and_the_erasure(client, auth, db, setup):
    auth.login(user=setup.admin)
    page = client.get(f"/candidates/{setup.candidate.id}").get_data(as_text=True)
    assert "Export data" in page and "Erase candidate" in page

    auth.logout()
    auth.login(user=setup.manager)
    page = client.get(f"/candidates/{setup.candidate.id}").get_data(as_text=True)
    assert "Export data" not in page and "Erase candidate" not in page


# Erasure -------------------------------------------------------------------------------------


def counts_per_stage(db, team_id):
    return db.session.execute(
        select(Application.current_stage_id, Application.status, func.count())
        .where(Application.team_id == team_id)
        .group_by(Application.current_stage_id, Application.status)
        .order_by(Application.current_stage_id)
    ).all()


def ratings_of(db, team_id):
    return db.session.execute(
        select(Rating.scorecard_id, Rating.skill_id, Rating.score)
        .where(Rating.team_id == team_id)
        .order_by(Rating.id)
    ).all()


def team_text(db, team_id) -> str:
    """Every value of every row of the team, as one lower-cased text."""
    return repr(snapshot(db, team_id)).lower()


def erase(client, candidate_id: int, typed: str = NAME):
    return client.post(
        f"/candidates/{candidate_id}/erase", data={"confirmation": typed}, follow_redirects=True
    )


def test_the_confirmation_page_says_what_goes_and_what_stays(client, auth, db, setup):
    auth.login(user=setup.admin)

    page = client.get(f"/candidates/{setup.candidate.id}/erase").get_data(as_text=True)

    assert "What is removed" in page and "What stays, anonymised" in page
    assert "All the free text of their 2 scorecards" in page
    assert "not only the" in page  # the safer choice, said in words
    assert f"Erased candidate #{setup.candidate.id}" in page
    assert "Type the candidate&#39;s name to confirm" in page or "Type the candidate's" in page


def test_erasing_removes_identity_and_free_text_and_keeps_ratings_stages_and_dates(
    app, client, auth, db, setup
):
    team_id, candidate = setup.team.id, setup.candidate
    before_counts, before_ratings = counts_per_stage(db, team_id), ratings_of(db, team_id)
    application = setup.application
    dates = (application.created_at, application.closed_at, application.stage_entered_at)
    with app.test_request_context():
        old_token = make_token(application)
    assert "ottoline" in team_text(db, team_id)
    auth.login(user=setup.admin)

    page = erase(client, candidate.id)

    assert "Erased the candidate&#39;s data" in page.get_data(as_text=True)
    db.session.expire_all()
    assert candidate.name == f"Erased candidate #{candidate.id}"
    assert "@" not in candidate.email
    assert (candidate.phone, candidate.links, candidate.notes, candidate.timezone) == (
        "",
        "",
        "",
        None,
    )
    assert candidate.erased_at is not None
    # Nothing of team A's rows names them any more, nor keeps what anybody wrote about them.
    text = team_text(db, team_id)
    for written in ("ottoline", "evidence on", " takeaways", " rationale", " amendment reason"):
        assert written not in text, written
    assert all(c.key_takeaways == "" for c in db.session.scalars(select(Scorecard)))
    assert all(r.evidence == "" for r in db.session.scalars(select(Rating)))
    for revision in db.session.scalars(select(ScorecardRevision)):
        assert revision.reason == "" and revision.content["key_takeaways"] == ""
    # What reports count is all there.
    assert counts_per_stage(db, team_id) == before_counts
    assert ratings_of(db, team_id) == before_ratings
    assert application.status.value == "rejected"
    assert application.exit_reason == pipeline.REJECT_REASONS[0]
    assert (application.created_at, application.closed_at, application.stage_entered_at) == dates
    assert [d.outcome.value for d in db.session.scalars(select(Decision))] == ["advance"]
    assert {s.recommendation for s in db.session.scalars(select(Scorecard))} == {2, 4}
    # Their emails keep their dates and state, not their words; the portal link is dead.
    to_them = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_email == candidate.email)
    ).all()
    assert to_them and all(e.body == "" and e.ics == "" for e in to_them)
    about_them = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.interview_id.in_(setup.rows.ids["interview_id"]))
    ).all()
    assert {e.status for e in about_them} == {OutboxStatus.FAILED}
    assert all(e.body == "" and "ottoline" not in e.subject.lower() for e in about_them)
    assert client.get(f"/portal/{old_token}").status_code == 404
    with app.test_request_context():
        new_token = make_token(application)
    assert client.get(f"/portal/{new_token}").status_code == 404


def test_erasure_is_an_audit_event_without_personal_data(client, auth, db, setup):
    auth.login(user=setup.admin)

    erase(client, setup.candidate.id)

    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "candidate.erased")
    ).all()
    assert (event.actor_id, event.subject_id, event.data) == (
        setup.admin.id,
        setup.candidate.id,
        {"reason": "request"},
    )


def test_erasing_twice_changes_nothing_the_second_time(client, auth, db, setup):
    auth.login(user=setup.admin)
    erase(client, setup.candidate.id)
    before = snapshot(db, setup.team.id)

    again = erase(client, setup.candidate.id)
    done = erasure.erase_candidate(db.session, setup.candidate, actor=setup.admin)

    assert "erased already" in again.get_data(as_text=True)
    assert done is False
    assert snapshot(db, setup.team.id) == before


def test_a_wrong_name_erases_nothing_and_keeps_what_was_typed(client, auth, db, setup):
    auth.login(user=setup.admin)
    before = snapshot(db, setup.team.id)

    page = erase(client, setup.candidate.id, typed="Ottoline Zebra")

    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "That is not the candidate&#39;s name" in body
    assert 'value="Ottoline Zebra"' in body
    assert snapshot(db, setup.team.id) == before


def test_a_candidate_with_an_open_application_is_not_erased(app, client, auth, db):
    setup = Setup(app, db, close=False)
    auth.login(user=setup.admin)
    before = snapshot(db, setup.team.id)

    page = client.get(f"/candidates/{setup.candidate.id}/erase").get_data(as_text=True)
    refused = erase(client, setup.candidate.id)

    assert "Close their open application first" in page
    assert "Close their open application first" in refused.get_data(as_text=True)
    with pytest.raises(erasure.ErasureError):
        erasure.erase_candidate(db.session, setup.candidate, actor=setup.admin)
    assert snapshot(db, setup.team.id) == before


def test_an_erased_candidate_cannot_be_edited_reopened_applied_or_scheduled(
    client, auth, db, setup
):
    auth.login(user=setup.admin)
    erase(client, setup.candidate.id)
    candidate, application = setup.candidate, setup.application
    other_job = factories.JobFactory(team=setup.team, title="Second job")
    factories.PlanStageFactory(team=setup.team, job=other_job, position=1)

    edit = client.post(
        f"/candidates/{candidate.id}/edit",
        data={"name": "Ottoline Again", "email": "back@example.org"},
    )
    reopen = client.post(
        f"/candidates/applications/{application.id}/reopen", data={}, follow_redirects=True
    )
    apply = client.post(f"/candidates/{candidate.id}/applications", data={"job": other_job.id})

    db.session.expire_all()
    assert "erased" in edit.get_data(as_text=True)
    assert candidate.name == f"Erased candidate #{candidate.id}"
    assert "erased" in reopen.get_data(as_text=True)
    assert application.status.value == "rejected"
    assert "erased" in apply.get_data(as_text=True)
    assert len(candidate.applications) == 1
    assert pipeline.available_moves(application, application.job.stages) == []
    stage, closed = application.job.stages[0], application.status
    application.status = closed.ACTIVE  # as if it were open again
    with pytest.raises(SchedulingError, match="erased"):
        check_request(application, stage, utcnow() + timedelta(days=3), [setup.manager], utcnow())
    application.status = closed
    page = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert "Personal data erased" in page
    listed = client.get("/candidates/").get_data(as_text=True)
    assert f"Erased candidate #{candidate.id}" in listed and ">Erased</span>" in listed


def test_other_features_erase_their_part_and_say_what_it_is(client, auth, db, setup):
    seen = []

    def erase_files(candidate, session, now):
        # Sent before the identity goes, so the receiver can still find what is theirs.
        seen.append((candidate.name, session is db.session, now is not None))

    def files_summary(candidate):
        return "Their 2 CV files, deleted from storage."

    auth.login(user=setup.admin)
    with candidate_erasure_summary.connected_to(files_summary):
        page = client.get(f"/candidates/{setup.candidate.id}/erase").get_data(as_text=True)
    with candidate_erasing.connected_to(erase_files):
        erase(client, setup.candidate.id)

    assert "Their 2 CV files, deleted from storage." in page
    assert seen == [(NAME, True, True)]


def test_an_email_still_waiting_for_the_candidate_is_never_sent(app, db, setup):
    waiting = OutboxEmail(
        team_id=setup.team.id,
        to_email=EMAIL,
        to_name=NAME,
        subject=f"News for {NAME}",
        body="Hello",
        created_at=utcnow(),
    )
    db.session.add(waiting)
    db.session.flush()

    with app.app_context():  # the CV is deleted from the app's storage
        erasure.erase_candidate(db.session, setup.candidate, actor=setup.admin)

    assert waiting.status is OutboxStatus.FAILED
    assert waiting.last_error == erasure.NOT_SENT
    assert waiting.subject == f"News for Erased candidate #{setup.candidate.id}"
    assert (waiting.to_email, waiting.to_name, waiting.body) == (setup.candidate.email, "", "")
