"""The emails candidates get, from the team's own texts: rendered in Jinja's sandbox, checked
before they are saved, edited at Candidate emails (per rejection reason too), and sent with a
move or a decision as the manager chooses: as it is, edited for this candidate, or not at all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role, User
from interviewer.candidates.portal_links import portal_url
from interviewer.emails import rendering
from interviewer.emails.kinds import KINDS
from interviewer.emails.models import CandidateEmailKind as K
from interviewer.emails.models import EmailTemplate
from interviewer.emails.services import (
    candidate_email,
    problems,
    queue_candidate_email,
    render_text,
    save_text,
)
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.emails import EmailKind, queue_interview_email
from tests import factories
from tests.test_decisions import REJECT_REASON, decide, submitted_loop
from tests.test_pipeline_moves import WITHDRAW_REASON, application_at, post_move

OTHER_REASON = "Position filled"


def outbox(db) -> list[OutboxEmail]:
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def to_candidate(db, application) -> list[OutboxEmail]:
    return [e for e in outbox(db) if e.to_email == application.candidate.email]


@pytest.fixture
def manager(auth):
    return auth.login(Role.HIRING_MANAGER)


# The sandbox --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ first_name.__class__ }}",
        "{{ first_name.__class__.__mro__[1].__subclasses__() }}",
        "{{ job_title|attr('__class__') }}",
        "{{ first_name.format.__globals__ }}",
    ],
)
def test_the_sandbox_refuses_attributes_that_reach_pythons_internals(source):
    with pytest.raises(rendering.TemplateProblem):
        rendering.render(source, {"first_name": "Ana", "job_title": "Dev"})
    assert "body" in problems(K.REJECTION, "Subject", source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ config }}",
        "{{ self }}",
        "{{ request.environ }}",
        "{{ range(3)|list }}",
        "{{ lipsum() }}",
    ],
)
def test_a_text_reads_nothing_of_the_app_only_its_variables(source):
    found = problems(K.REJECTION, "Subject", source)
    assert "body" in found
    with pytest.raises(rendering.TemplateProblem):
        rendering.render(source, {})


def test_a_text_cannot_call_methods_that_change_a_value():
    source = "{% set names = ['a'] %}{{ names.append('b') }}{{ names }}"
    with pytest.raises(rendering.TemplateProblem, match="unsafe|not safely"):
        rendering.render(source, {})
    assert "body" in problems(K.REJECTION, "Subject", source)


def test_a_text_cannot_blow_up_into_a_huge_email():
    with pytest.raises(rendering.TemplateProblem):
        rendering.render("{{ 'x' * 1000000000 }}", {})
    with pytest.raises(rendering.TemplateProblem):
        rendering.render("{{ 9 ** 9 ** 9 }}", {})


def test_an_email_is_plain_text_nothing_is_escaped():
    assert rendering.render("{{ name }}", {"name": "O'Brien <ob@x.org> & co"}) == (
        "O'Brien <ob@x.org> & co"
    )


def test_a_broken_text_is_refused_with_its_message_and_line():
    found = problems(K.REJECTION, "Hi", "Hello {{ first_name }},\n\n{% if first_name %}\nno end")
    assert found["body"].startswith("Line ")
    found = problems(K.REJECTION, "Hi", "Hello,\n{{ shoe_size }}")
    assert found["body"] == "Line 2: “shoe_size” is not one of this email's variables."
    found = problems(K.REJECTION, "{{ job_title ", "Hello")
    assert "subject" in found and "body" not in found


# Each kind ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(K), ids=[k.value for k in K])
def test_each_kinds_built_in_text_renders_with_its_variables(kind):
    spec = KINDS[kind]
    assert problems(kind, spec.subject, spec.body) == {}
    email = render_text(kind, spec.subject, spec.body, spec.demo_values())
    assert "{" not in email.subject + email.body
    assert "Ana" in email.body and "Acme Engineering" in email.body + email.subject
    assert {"candidate_name", "first_name", "job_title", "team_name", "portal_link"} <= spec.names
    if kind is not K.REJECTION and kind is not K.WITHDRAWAL:
        assert "https://hiring.example.com/portal/demo-link" in email.body


def test_the_application_received_email_is_ready_for_the_careers_page(app, db):
    application = factories.ApplicationFactory(candidate__name="Ana Costa")
    db.session.flush()
    with app.test_request_context():
        link = portal_url(application, external=True)
    email = queue_candidate_email(db.session, application, K.APPLICATION_RECEIVED, portal_link=link)
    assert email.to_email == application.candidate.email
    assert email.subject == f"We received your application for {application.job.title}"
    assert email.body.startswith("Hello Ana,")
    assert re.search(r"your private page .*:\nhttp://localhost/portal/\S+", email.body)


# The editor ---------------------------------------------------------------------------------


def test_the_list_shows_every_kind_and_each_rejection_reason_edited_or_default(client, manager):
    html = client.get("/team/emails/").get_data(as_text=True)
    for spec in KINDS.values():
        assert spec.label in html
    assert REJECT_REASON.replace("'", "&#39;") in html
    assert "Edited" not in html


def test_a_text_is_saved_used_and_reset_to_its_default(client, db, manager):
    response = client.post(
        "/team/emails/withdrawal",
        data={
            "subject": "Bye {{ first_name }}",
            "body": "Withdrawn from {{ job_title }}.",
            "save": "Save",
        },
    )
    assert response.status_code == 302
    [row] = db.session.scalars(select(EmailTemplate)).all()
    assert (row.kind, row.reason, row.updated_by) == (K.WITHDRAWAL, "", manager)
    html = client.get("/team/emails/").get_data(as_text=True)
    assert "Edited" in html and f"by {manager.name}" in html

    response = client.post(f"/team/emails/texts/{row.id}/reset")
    assert response.status_code == 302
    assert db.session.scalars(select(EmailTemplate)).all() == []


def test_the_edit_page_lists_the_variables_and_previews_on_demo_values(client, manager):
    html = client.get("/team/emails/interview_invitation").get_data(as_text=True)
    assert "{{ interview_time }}" in html and "{{ video_link }}" in html
    assert "Interview booked: Live coding for Senior Backend Developer" in html

    response = client.post(
        "/team/emails/interview_invitation",
        data={
            "subject": "See you, {{ first_name }}",
            "body": "At {{ interview_time }}",
            "preview": "Preview",
        },
    )
    html = response.get_data(as_text=True)
    assert "See you, Ana" in html and "At Tue 17 Mar, 15:00-16:00 (Berlin time)" in html


def test_a_broken_text_is_refused_on_save_and_nothing_typed_is_lost(client, db, manager):
    body = "Hello {{ first_name }},\n{% for x in %}\nSigned"
    response = client.post(
        "/team/emails/rejection", data={"subject": "Kept subject", "body": body, "save": "Save"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved" in html and "Line 2:" in html
    assert "Kept subject" in html and "{% for x in %}" in html
    assert db.session.scalars(select(EmailTemplate)).all() == []


def test_a_reason_or_kind_the_team_does_not_have_is_not_found(client, manager):
    assert client.get("/team/emails/no_such_kind").status_code == 404
    assert client.get("/team/emails/rejection?reason=Not+ours").status_code == 404
    assert client.get(f"/team/emails/withdrawal?reason={WITHDRAW_REASON}").status_code == 404


def test_interviewers_cannot_open_the_editor(client, auth):
    auth.login(Role.INTERVIEWER)
    assert client.get("/team/emails/").status_code == 403
    assert client.get("/team/emails/rejection").status_code == 403


def test_another_teams_text_is_not_found(client, db, manager):
    other = factories.TeamFactory()
    row = save_text(
        db.session, other.id, K.REJECTION, "", subject="Theirs", body="Theirs", actor=None
    )
    application, _ = application_at(other)

    assert client.post(f"/team/emails/texts/{row.id}/reset").status_code == 404
    assert (
        client.get(f"/candidates/applications/{application.id}/emails/rejection").status_code == 404
    )
    assert "Theirs" not in client.get("/team/emails/rejection").get_data(as_text=True)
    assert db.session.get(EmailTemplate, row.id) is not None


def test_the_list_page_runs_the_same_queries_for_any_number_of_edited_texts(
    client, db, manager, count_queries
):
    other = factories.UserFactory(team=manager.team, role=Role.ADMIN)
    save_text(db.session, manager.team_id, K.WITHDRAWAL, "", subject="a", body="b", actor=manager)
    team_id, other_id = manager.team_id, other.id
    db.session.expunge_all()
    with count_queries() as few:
        assert client.get("/team/emails/").status_code == 200
    other = db.session.get(User, other_id)
    for kind in (K.MOVED_ON, K.INTERVIEW_CANCELLED, K.REJECTION):
        save_text(db.session, team_id, kind, "", subject="a", body="b", actor=other)
    save_text(db.session, team_id, K.REJECTION, OTHER_REASON, subject="a", body="b", actor=None)
    db.session.expunge_all()
    with count_queries() as many:
        assert client.get("/team/emails/").status_code == 200
    assert len(many.statements) == len(few.statements)


# Rejection texts per reason -----------------------------------------------------------------


def test_a_reasons_own_rejection_text_goes_for_that_reason_only(app, db):
    application, _ = application_at(factories.TeamFactory())
    team_id = application.team_id
    save_text(
        db.session,
        team_id,
        K.REJECTION,
        OTHER_REASON,
        subject="Filled",
        body="The role is filled, {{ first_name }}.",
        actor=None,
    )

    filled = candidate_email(
        db.session, application, K.REJECTION, reason=OTHER_REASON, portal_link=""
    )
    other = candidate_email(
        db.session, application, K.REJECTION, reason=REJECT_REASON, portal_link=""
    )
    assert (filled.subject, filled.body) == ("Filled", "The role is filled, Aisha.")
    assert other.subject.startswith("Your application for") and "not to go further" in other.body

    save_text(
        db.session, team_id, K.REJECTION, "", subject="Ours", body="Our rejection.", actor=None
    )
    other = candidate_email(
        db.session, application, K.REJECTION, reason=REJECT_REASON, portal_link=""
    )
    assert (other.subject, other.body) == ("Ours", "Our rejection.")


def test_a_text_that_fails_when_sent_falls_back_to_the_built_in_one(app, db):
    application, _ = application_at(factories.TeamFactory())
    # Saved before a change made it fail (written straight to the table, past the checks).
    db.session.add(
        EmailTemplate(
            team_id=application.team_id, kind=K.WITHDRAWAL, subject="x", body="{{ gone.x }}"
        )
    )
    email = queue_candidate_email(db.session, application, K.WITHDRAWAL, portal_link="")
    assert email.subject == f"Your application for {application.job.title} is withdrawn"


# The scheduling emails -------------------------------------------------------------------------


WITH = " with {{ interviewers }} {{ video_link }}"


def test_the_candidates_invitation_uses_the_teams_edited_text_with_the_calendar_file(db):
    application, stages = application_at(factories.TeamFactory())
    dana = factories.UserFactory(team=application.team, name="Dana Lee")
    starts = datetime(2031, 3, 17, 14, tzinfo=UTC)
    interview = factories.InterviewFactory(
        team=application.team, application=application, plan_stage=stages[0], starts_at=starts,
        ends_at=starts + timedelta(hours=1), video_url="https://meet.example.com/x",
    )  # fmt: skip
    factories.PanelMemberFactory(team=application.team, interview=interview, user=dana)
    for kind in (K.INTERVIEW_INVITATION, K.INTERVIEW_RESCHEDULED, K.INTERVIEW_CANCELLED):
        save_text(
            db.session, application.team_id, kind, "", actor=None,
            subject=f"{kind.value}: {{{{ stage_name }}}}",
            body="{{ first_name }}, {{ interview_time }}"
            + ("" if kind == K.INTERVIEW_CANCELLED else WITH),
        )  # fmt: skip

    for kind, expected in [
        (EmailKind.SCHEDULED, K.INTERVIEW_INVITATION),
        (EmailKind.RESCHEDULED, K.INTERVIEW_RESCHEDULED),
        (EmailKind.CANCELLED, K.INTERVIEW_CANCELLED),
    ]:
        queued = queue_interview_email(db.session, interview, kind)
        [own] = [e for e in queued if e.to_email == application.candidate.email]
        assert own.subject == f"{expected.value}: {stages[0].name}"
        assert own.body.startswith("Aisha, Mon 17 Mar, 14:00-15:00")
        if kind != EmailKind.CANCELLED:
            assert "with Dana https://meet.example.com/x" in own.body
        assert own.ics.startswith("BEGIN:VCALENDAR") and own.interview_id == interview.id
        [panel] = [e for e in queued if e.to_email == dana.email]
        assert not panel.subject.startswith(expected.value)


def test_a_candidate_without_an_email_address_gets_no_email(db):
    application, stages = application_at(factories.TeamFactory(), candidate__email="")
    interview = factories.InterviewFactory(
        team=application.team, application=application, plan_stage=stages[0]
    )
    factories.PanelMemberFactory(team=application.team, interview=interview)
    queued = queue_interview_email(db.session, interview, EmailKind.SCHEDULED)
    assert len(queued) == 1 and queued[0].to_email != ""
    assert queue_candidate_email(db.session, application, K.REJECTION) is None


# The move form ----------------------------------------------------------------------------------


def test_the_move_form_shows_the_email_that_will_go(client, db, manager):
    application, stages = application_at(manager.team)
    html = client.get(f"/candidates/applications/{application.id}/advance").get_data(as_text=True)
    assert f"Email to {application.candidate.name}" in html
    assert f"Next step for Senior Backend Developer: {stages[1].name}" in html
    assert re.search(r'<input checked[^>]*name="email_action"[^>]*value="send"', html)
    assert "js/candidate_email.js" in html


def test_advancing_with_send_emails_the_moved_on_text(client, db, manager):
    application, stages = application_at(manager.team)
    response = post_move(client, application, "advance", email_action="send")
    assert response.status_code == 302
    [email] = to_candidate(db, application)
    assert email.subject == f"Next step for Senior Backend Developer: {stages[1].name}"
    assert "moves on to the next step" in email.body and email.ics == ""


def test_rejecting_with_edit_sends_the_text_as_edited_for_this_candidate(client, db, manager):
    application, _ = application_at(manager.team)
    response = post_move(
        client, application, "reject", reason=REJECT_REASON, email_action="edit",
        email_subject="Thank you, Aisha", email_body="A personal note {{ not_rendered }}",
    )  # fmt: skip
    assert response.status_code == 302
    [email] = to_candidate(db, application)
    assert (email.subject, email.body) == ("Thank you, Aisha", "A personal note {{ not_rendered }}")


def test_editing_without_a_text_is_refused_and_nothing_is_lost(client, db, manager):
    application, _ = application_at(manager.team)
    response = post_move(
        client, application, "withdraw", reason=WITHDRAW_REASON, note="Kept note",
        email_action="edit", email_subject="", email_body="",
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Write the subject and the text" in html
    assert "Kept note" in html
    assert to_candidate(db, application) == []


def test_withdrawing_with_dont_send_queues_nothing(client, db, manager):
    application, _ = application_at(manager.team)
    response = post_move(
        client, application, "withdraw", reason=WITHDRAW_REASON, email_action="none"
    )
    assert response.status_code == 302
    assert outbox(db) == []


def test_withdrawing_with_send_emails_the_confirmation(client, db, manager):
    application, _ = application_at(manager.team)
    post_move(client, application, "withdraw", reason=WITHDRAW_REASON, email_action="send")
    [email] = to_candidate(db, application)
    assert email.subject == "Your application for Senior Backend Developer is withdrawn"


def test_rejecting_sends_the_reasons_own_text(client, db, manager):
    application, _ = application_at(manager.team)
    save_text(
        db.session,
        manager.team_id,
        K.REJECTION,
        OTHER_REASON,
        subject="Filled",
        body="Filled, {{ first_name }}.",
        actor=manager,
    )
    post_move(client, application, "reject", reason=OTHER_REASON, email_action="send")
    [email] = to_candidate(db, application)
    assert (email.subject, email.body) == ("Filled", "Filled, Aisha.")


def test_preview_email_shows_the_reasons_text_and_makes_no_move(client, db, manager):
    application, _ = application_at(manager.team)
    save_text(
        db.session,
        manager.team_id,
        K.REJECTION,
        OTHER_REASON,
        subject="Filled",
        body="Filled, {{ first_name }}.",
        actor=manager,
    )
    response = post_move(
        client, application, "reject", reason=OTHER_REASON, email_action="send", preview_email="1"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Filled, Aisha." in html
    assert application.status.value == "active" and outbox(db) == []

    answer = client.get(
        f"/candidates/applications/{application.id}/emails/rejection",
        query_string={"reason": OTHER_REASON},
    )
    assert answer.json == {"subject": "Filled", "body": "Filled, Aisha."}
    assert (
        client.get(
            f"/candidates/applications/{application.id}/emails/interview_invitation"
        ).status_code
        == 404
    )
    odd = client.get(
        f"/candidates/applications/{application.id}/emails/rejection",
        query_string={"reason": "a\x00b"},
    )
    assert odd.status_code == 200 and "not to go further" in odd.json["body"]


def test_a_candidate_without_an_email_is_told_so_and_gets_nothing(client, db, manager):
    application, _ = application_at(manager.team, candidate__email="")
    html = client.get(f"/candidates/applications/{application.id}/reject").get_data(as_text=True)
    assert "has no email address, so no email will be sent" in html
    post_move(client, application, "reject", reason=REJECT_REASON, email_action="send")
    assert outbox(db) == []


# The decision form --------------------------------------------------------------------------------


def test_the_decision_form_shows_the_rejection_email_for_the_reason(client, db, manager):
    loop = submitted_loop(manager.team)
    response = decide(
        client, loop.application, outcome="reject", reason=REJECT_REASON, preview_email="1"
    )
    html = response.get_data(as_text=True)
    assert "not to go further with it" in html
    assert 'data-email-url="/candidates/applications/' in html
    assert loop.application.status.value == "active"


@pytest.mark.parametrize("action", ["send", "edit", "none"])
def test_a_rejection_decision_sends_the_email_as_chosen(client, db, manager, action):
    loop = submitted_loop(manager.team)
    response = decide(
        client, loop.application, outcome="reject", reason=REJECT_REASON, rationale="Below.",
        email_action=action, email_subject="Edited subject", email_body="Edited text",
    )  # fmt: skip
    assert response.status_code == 302
    emails = to_candidate(db, loop.application)
    if action == "none":
        assert emails == []
        return
    [email] = emails
    if action == "edit":
        assert (email.subject, email.body) == ("Edited subject", "Edited text")
    else:
        assert "not to go further with it" in email.body


def test_an_advance_decision_sends_the_moved_on_email(client, db, manager):
    loop = submitted_loop(manager.team)
    decide(client, loop.application, outcome="advance", rationale="Strong.", email_action="send")
    [email] = to_candidate(db, loop.application)
    stage = loop.application.current_stage.name
    assert email.subject.startswith("Next step for") and email.subject.endswith(stage)
    assert stage != "Live coding"


def test_the_quick_reject_form_sends_no_email_and_links_to_the_page_that_does(client, db, manager):
    application, _ = application_at(manager.team)
    html = client.get(f"/candidates/{application.candidate_id}").get_data(as_text=True)
    assert "No email goes from here." in html
    assert f'href="/candidates/applications/{application.id}/reject">Reject with the email' in html

    response = post_move(client, application, "reject", reason=REJECT_REASON)
    assert response.status_code == 302
    assert to_candidate(db, application) == []
