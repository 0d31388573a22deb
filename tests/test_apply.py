"""Applying on a public posting: the form, the rules it follows, what is kept and the email.

Every test drives the form as a browser sends it (multipart, no sign-in).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from interviewer.candidates.applying import CAREERS_PAGE_SOURCE
from interviewer.candidates.models import Application, Candidate
from interviewer.files.models import StoredFile
from interviewer.mail.models import OutboxEmail, OutboxStatus
from interviewer.plans.models import JobStatus
from tests import apply_support, factories
from tests.test_careers import build_job


def apply_url(job) -> str:
    return f"/careers/{job.team.slug}/{job.slug}/apply"


def post(client, job, **kwargs):
    return client.post(
        apply_url(job), data=apply_support.form(**kwargs), content_type="multipart/form-data"
    )


def files_on_disk(app) -> set[Path]:
    return {path for path in Path(app.config["FILES_DIR"]).rglob("*") if path.is_file()}


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def job(db):
    return build_job(title="Backend Developer", slug="backend-developer")


def test_the_posting_has_an_apply_button_and_the_form_every_field(client, job):
    posting = client.get(f"/careers/{job.team.slug}/{job.slug}").get_data(as_text=True)
    assert f'href="{apply_url(job)}"' in posting
    assert "Apply for this job" in posting

    response = client.get(apply_url(job))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for label in (
        "Full name",
        "Email",
        "Phone (optional)",
        "Links (optional)",
        "CV",
        "Note (optional)",
        "Your time zone",
        "I have read the privacy notice and agree to it",
    ):
        assert label in page
    assert 'enctype="multipart/form-data"' in page
    # The team's zone is preselected; the browser's own replaces it when scripts run.
    assert re.search(r'<option selected value="UTC">|<option value="UTC" selected', page)
    assert "js/timezone_guess.js" in page
    assert f"{job.team.name} keeps the details" in page  # the standard notice
    assert "Voluntary self-identification" not in page  # the team asks none


def test_applying_keeps_the_candidate_the_cv_the_consent_and_queues_the_email(app, client, db, job):
    response = post(client, job)

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/careers/{job.team.slug}/{job.slug}/applied")
    candidate = db.session.scalar(select(Candidate).where(Candidate.email == "ada@example.org"))
    assert candidate.name == "Ada Applicant"
    assert candidate.source == CAREERS_PAGE_SOURCE
    assert candidate.phone == "+49 30 1234"
    assert candidate.links == "https://code.example.org/ada"
    assert candidate.timezone == "Europe/Berlin"
    (application,) = candidate.applications
    assert application.job == job
    assert application.current_stage == job.stages[0]
    assert application.cover_note == "I have run billing systems for years."
    assert application.consented_at is not None
    assert application.consent_version == job.team.privacy_notice_version == 1
    stored = application.cv_file
    assert (stored.name, stored.content_type, stored.size) == (
        "cv.pdf",
        "application/pdf",
        len(apply_support.PDF),
    )
    assert (Path(app.config["FILES_DIR"]) / stored.storage_key).read_bytes() == apply_support.PDF

    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_email == "ada@example.org"))
    assert email.status is OutboxStatus.WAITING
    assert "We received your application" in email.subject
    assert re.search(r"http://localhost/portal/[\w.-]+", email.body)

    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you, your application is in" in confirmation
    assert "private link" in confirmation


def test_the_portal_link_in_the_email_shows_the_application_under_review(client, db, job):
    post(client, job)
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_email == "ada@example.org"))
    link = re.search(r"http://localhost(/portal/[\w.-]+)", email.body).group(1)

    page = client.get(link).get_data(as_text=True)

    assert "Application received, under review." in page
    assert 'data-testid="under-review"' in page


def test_the_portal_leaves_under_review_once_the_first_stage_is_booked(client, db, job):
    post(client, job)
    application = db.session.scalar(select(Application))
    factories.InterviewFactory(team=job.team, application=application, plan_stage=job.stages[0])
    email = db.session.scalar(select(OutboxEmail))
    link = re.search(r"http://localhost(/portal/[\w.-]+)", email.body).group(1)

    page = client.get(link).get_data(as_text=True)

    assert "Application received, under review." not in page


def test_with_app_url_the_emailed_link_names_it_not_the_requests_host(app, client, db, job):
    app.config["APP_URL"] = "https://jobs.example.com"
    try:
        client.post(
            apply_url(job),
            data=apply_support.form(),
            content_type="multipart/form-data",
            headers={"Host": "evil.example"},
        )
    finally:
        app.config["APP_URL"] = ""
    email = db.session.scalar(select(OutboxEmail))
    assert "https://jobs.example.com/portal/" in email.body
    assert "evil.example" not in email.body


@pytest.mark.parametrize(
    ("cv", "message"),
    [
        ((apply_support.EXE, "cv.pdf"), "is not a PDF, Word (DOCX) or OpenDocument (ODT) file"),
        ((apply_support.plain_zip(), "cv.docx"), "is not a PDF"),
        ((b"", "cv.pdf"), "is empty"),
        ((apply_support.PDF, "../../cv.pdf"), "folder path"),
        (None, "Choose your CV: PDF, Word (DOCX) or OpenDocument (ODT), up to 10 MB."),
    ],
    ids=["exe renamed pdf", "zip renamed docx", "empty", "path in name", "none"],
)
def test_a_bad_cv_gets_a_message_and_nothing_is_kept(app, client, db, job, cv, message):
    before = files_on_disk(app)
    response = post(client, job, cv=cv)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.replace("&#34;", '"').replace("&#39;", "'")
    assert "Ada Applicant" in page  # what they typed stays
    assert count(db, Application) == count(db, StoredFile) == count(db, OutboxEmail) == 0
    assert files_on_disk(app) == before


def test_a_cv_over_the_limit_gets_a_message(app, client, db, job):
    app.config["MAX_CV_BYTES"] = 1000
    try:
        response = post(client, job, cv=(apply_support.PDF + b" " * 1000, "cv.pdf"))
    finally:
        app.config["MAX_CV_BYTES"] = 10 * 1024 * 1024
    assert response.status_code == 400
    assert "a file may be up to" in response.get_data(as_text=True)
    assert count(db, Application) == 0


def test_a_body_over_the_request_limit_gets_a_friendly_page(app, client, db, job):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        response = post(client, job, cv=(apply_support.PDF + b" " * 5000, "cv.pdf"))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 12 * 1024 * 1024
    assert response.status_code == 413
    assert "a CV may be up to 10 MB" in response.get_data(as_text=True)


def test_docx_and_odt_are_taken(client, db, job):
    assert post(client, job, cv=(apply_support.docx(), "cv.docx")).status_code == 302
    other = build_job(team=job.team, slug="second-job")
    assert post(client, other, cv=(apply_support.odt(), "cv.odt")).status_code == 302
    types = db.session.scalars(select(StoredFile.content_type).order_by(StoredFile.id)).all()
    assert types == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"consent": None}, "Tick the box to agree to the privacy notice"),
        ({"email": "not-an-email"}, "Enter an email address such as name@example.com."),
    ],
    ids=["no consent", "invalid email"],
)
def test_a_missing_consent_or_a_bad_email_keeps_every_other_field(client, db, job, fields, message):
    response = post(client, job, **fields)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    for typed in (
        "Ada Applicant",
        "+49 30 1234",
        "https://code.example.org/ada",
        "I have run billing systems for years.",
    ):
        assert typed in page
    assert re.search(
        r'<option selected value="Europe/Berlin">|value="Europe/Berlin" selected', page
    )
    assert "Choose your CV again" in page
    assert count(db, Application) == 0


def test_the_same_email_twice_on_one_job_is_one_application(app, client, db, job):
    post(client, job)
    before = files_on_disk(app)
    response = post(client, job, email="ADA@example.org", name="Someone Else")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You have applied already" in page
    assert count(db, Application) == 1
    assert count(db, StoredFile) == 1
    assert count(db, OutboxEmail) == 1
    assert files_on_disk(app) == before


def test_the_same_email_on_another_job_attaches_to_the_candidate_filling_only_blanks(
    client, db, job
):
    post(client, job, phone="", links="")
    other = build_job(team=job.team, slug="second-job", title="Platform Engineer")

    response = post(
        client,
        other,
        name="Ada A. Renamed",
        phone="+1 555 0100",
        links="https://ada.example.org",
        timezone="America/New_York",
    )

    assert response.status_code == 302
    (candidate,) = db.session.scalars(select(Candidate)).all()
    assert {a.job.slug for a in candidate.applications} == {job.slug, "second-job"}
    assert candidate.name == "Ada Applicant"  # not overwritten
    assert candidate.timezone == "Europe/Berlin"  # not overwritten
    assert candidate.phone == "+1 555 0100"  # was empty
    assert candidate.links == "https://ada.example.org"  # was empty
    assert count(db, OutboxEmail) == 2


def test_an_existing_candidate_keeps_their_source(client, db, job):
    factories.CandidateFactory(team=job.team, email="ada@example.org", source="Referral")
    post(client, job)
    candidate = db.session.scalar(select(Candidate))
    assert candidate.source == "Referral"
    assert len(candidate.applications) == 1


def test_a_closed_job_is_refused_kindly_with_the_other_open_jobs(client, db, job):
    job.status = JobStatus.CLOSED
    still_open = build_job(team=job.team, slug="still-open", title="Data Engineer")

    for response in (client.get(apply_url(job)), post(client, job)):
        page = response.get_data(as_text=True)
        assert response.status_code == 410
        assert "no longer taking applications" in page
        assert f'href="/careers/{job.team.slug}/{still_open.slug}"' in page
    assert count(db, Application) == 0


def test_a_job_past_its_closing_date_is_refused_kindly(client, db, job):
    job.posted_on = date.today() - timedelta(days=20)
    job.closes_on = date.today() - timedelta(days=2)

    response = post(client, job)

    assert response.status_code == 410
    assert "Applications for Backend Developer closed on" in response.get_data(as_text=True)
    assert count(db, Application) == 0
    posting = client.get(f"/careers/{job.team.slug}/{job.slug}").get_data(as_text=True)
    assert "Apply for this job" not in posting


def test_a_draft_or_another_teams_job_is_not_found(client, db, job):
    draft = build_job(team=job.team, slug="draft-job", status=JobStatus.DRAFT)
    other = factories.TeamFactory()
    assert client.get(apply_url(draft)).status_code == 404
    assert client.get(f"/careers/{other.slug}/{job.slug}/apply").status_code == 404
    assert post(client, draft).status_code == 404


def test_the_honeypot_keeps_nothing_and_says_nothing(client, db, job):
    response = post(client, job, website="https://spam.example")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/applied")
    assert count(db, Application) == count(db, Candidate) == count(db, StoredFile) == 0
    assert count(db, OutboxEmail) == 0


def test_a_form_sent_faster_than_the_minimum_time_is_refused(app, client, db, job):
    app.config["APPLY_MIN_SECONDS"] = 3
    try:
        page = client.get(apply_url(job)).get_data(as_text=True)
        started = re.search(r'name="started" type="hidden" value="([^"]+)"', page)
        started = started or re.search(
            r'id="started" name="started" type="hidden" value="([^"]+)"', page
        )
        token = started.group(1)
        quick = post(client, job, started=token)
        forged = post(client, job, started="0.forged")
    finally:
        app.config["APPLY_MIN_SECONDS"] = 0
    assert quick.status_code == forged.status_code == 400
    assert "That was very quick" in quick.get_data(as_text=True)
    assert "Ada Applicant" in quick.get_data(as_text=True)
    assert count(db, Application) == 0


def test_a_form_sent_after_the_minimum_time_is_taken(app, client, db, job):
    import time_machine

    app.config["APPLY_MIN_SECONDS"] = 3
    try:
        with time_machine.travel("2026-12-01 09:00:00+00:00", tick=False):
            page = client.get(apply_url(job)).get_data(as_text=True)
        token = re.search(r'name="started"[^>]*value="([^"]+)"', page).group(1)
        with time_machine.travel("2026-12-01 09:00:05+00:00", tick=False):
            response = post(client, job, started=token)
    finally:
        app.config["APPLY_MIN_SECONDS"] = 0
    assert response.status_code == 302
    assert count(db, Application) == 1


def test_too_many_applications_from_one_address_are_refused(app, client, db, job):
    app.config["APPLY_RATE_LIMIT"] = "2 per hour"
    try:
        first = post(client, job, email="one@example.org")
        second = post(client, job, email="two@example.org")
        third = post(client, job, email="three@example.org")
    finally:
        app.config["APPLY_RATE_LIMIT"] = "10 per hour"
    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    assert "Too many applications were sent from your network" in third.get_data(as_text=True)
    assert count(db, Application) == 2


def test_nothing_is_lost_when_the_mail_server_is_down(app, client, db, job):
    from interviewer.mail.delivery import deliver_due

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TIMEOUT=1)
    try:
        assert post(client, job).status_code == 302
        with app.app_context():
            deliver_due(db.session)
    finally:
        app.config.update(SMTP_HOST="", SMTP_PORT=None, SMTP_TIMEOUT=None)
    email = db.session.scalar(select(OutboxEmail))
    assert count(db, Application) == 1
    assert email.status is OutboxStatus.WAITING
    assert email.attempts == 1 and email.last_error
