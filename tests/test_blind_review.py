"""Blind first review: with the team setting on, an interviewer of an application at a screen
stage never meets the candidate's name or contact details, on any page, calendar file or
email, and sees a stable pseudonym instead; the job's hiring manager and admins see the
name, and everything is as before once the application moves on or the setting is off.

The walk reads ``app.url_map`` (``tests/walk.py``), so a page added later is walked too.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.candidates import blind
from interviewer.candidates.models import Application
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.emails import EmailKind, queue_interview_email
from interviewer.scheduling.models import Interview
from interviewer.scorecards import reminders
from interviewer.scorecards import services as scorecards
from tests import factories
from tests.test_tenancy_walk import NEUTRAL, TeamRows, _scorecard_input, build_team
from tests.walk import urls as walk_urls

MARK = "Quokka"
NAME = f"Ottoline {MARK}"
EMAIL = f"ottoline@{MARK.lower()}.example"
PHONE = "+44 7700 900123"
LINK = f"https://{MARK.lower()}.example/ottoline"
#: What a blind reviewer must never read: the first name covers the email and the link too.
IDENTITY = re.compile(r"ottoline|7700 900123", re.IGNORECASE)


def identity_in(body: str) -> list[str]:
    return [
        " ".join(body[max(0, m.start() - 40) : m.end() + 40].split())
        for m in IDENTITY.finditer(body)
    ]


def blind_team(app, db, *, submitted: bool = False, blind_on: bool = True) -> TeamRows:
    """The tenancy walk's team (a row of every kind), with its application at a screen stage
    under blind first review: the interviewer sits on the screen with a draft (and on the
    upcoming interview of the next stage, booked early), or has ``submitted`` and owes nothing
    more; a colleague submitted the screen's scorecard."""
    rows = build_team(app, db, MARK)
    team = rows.team
    team.blind_first_review = blind_on
    application = db.session.get(Application, rows.ids["application_id"][0])
    candidate = application.candidate
    candidate.phone, candidate.links = PHONE, LINK
    screen_type = factories.StageTypeFactory(team=team, key="screen", name="Screen")
    first = min(application.job.stages, key=lambda stage: stage.position)
    first.stage_type = screen_type
    application.current_stage = first
    if submitted:
        interviewer = rows.users[Role.INTERVIEWER]
        interview = _past_interview(db, rows)
        # Off the upcoming panel, they owe nothing more: colleagues' scorecards open to them.
        for member in list(_upcoming_interview(db, rows).panel):
            if member.user_id == interviewer.id:
                db.session.delete(member)
        card = scorecards.find_scorecard(db.session, interview, interviewer)
        entries, card_input = _scorecard_input(db, interview, f"{MARK} mine", 3)
        now = datetime.now(UTC)
        scorecards.submit(
            db.session,
            card,
            card_input,
            entries=entries,
            expected_lock=card.lock_version,
            actor=interviewer,
            now=now,
        )
    db.session.flush()
    return rows


def _past_interview(db, rows: TeamRows) -> Interview:
    return db.session.get(Interview, rows.ids["interview_id"][0])


def _upcoming_interview(db, rows: TeamRows) -> Interview:
    return db.session.get(Interview, rows.ids["interview_id"][1])


def walk_pages(app, client, rows: TeamRows) -> tuple[dict[str, int], list[str]]:
    """Every GET page with the team's own ids (and its secrets), following redirects:
    the status of each and where the candidate's identity showed."""
    by_endpoint = {
        "portal": {"token": ["not-their-link"]},
        "scheduling.feed_ics": {"token": [rows.secrets["calendar"]]},
        "accounts.reset_password": {"token": [rows.secrets["reset"]]},
        "accounts.accept_invitation": {"token": [rows.secrets["invitation"]]},
    }
    urls, unfilled = walk_urls(app, {**rows.ids, **NEUTRAL}, by_endpoint)
    assert not unfilled, "routes the walk cannot fill:\n" + "\n".join(unfilled)
    statuses, leaks = {}, []
    for endpoint, paths in urls.items():
        for path in paths:
            response = client.get(path, follow_redirects=True)
            statuses[path] = response.status_code
            for step in [*response.history, response]:
                found = identity_in(step.get_data(as_text=True))
                if found:
                    leaks.append(f"{path} ({endpoint}, {step.status_code}): {found}")
    return statuses, leaks


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_no_page_shows_a_blind_reviewer_the_candidates_name_or_contact_details(
    app, client, db, auth, submitted
):
    rows = blind_team(app, db, submitted=submitted)
    application_id = rows.ids["application_id"][0]
    past, upcoming = rows.ids["interview_id"]
    auth.login(user=rows.users[Role.INTERVIEWER])

    statuses, leaks = walk_pages(app, client, rows)

    assert not leaks, "the blind reviewer met the candidate:\n" + "\n".join(leaks)
    # The walk reached the pages an interviewer uses, so it proves something.
    for path in (
        "/my-interviews",
        f"/interviews/{past}",
        f"/interviews/{past}/scorecard",
        f"/interviews/{past}/invite.ics",
        f"/calendar/{rows.secrets['calendar']}.ics",
    ):
        assert statuses[path] == 200, path
    assert statuses[f"/interviews/{upcoming}/invite.ics"] == (403 if submitted else 200)
    colleagues = f"/applications/{application_id}/scorecards"
    assert statuses[colleagues] == (200 if submitted else 403)
    assert len(statuses) >= 60
    label = blind.pseudonym(db.session.get(Application, application_id))
    assert label in client.get("/my-interviews").get_data(as_text=True)
    assert label in client.get(colleagues).get_data(as_text=True)


def test_the_scorecard_page_says_the_review_is_blind(app, client, db, auth):
    rows = blind_team(app, db)
    past = rows.ids["interview_id"][0]
    auth.login(user=rows.users[Role.INTERVIEWER])

    html = client.get(f"/interviews/{past}/scorecard").get_data(as_text=True)

    assert (
        "Blind review: the candidate&#39;s name and contact details are hidden for this stage"
        in (html)
    )
    assert re.search(r"with Candidate \d{4,}</h1>", html)
    assert "Blind review" in client.get(f"/interviews/{past}").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.ADMIN])
def test_the_hiring_manager_and_admins_see_the_name(app, client, db, auth, role):
    rows = blind_team(app, db, submitted=True)
    past = rows.ids["interview_id"][0]
    application_id = rows.ids["application_id"][0]
    auth.login(user=rows.users[role])

    for path in (
        f"/interviews/{past}",
        f"/applications/{application_id}/scorecards",
        f"/applications/{application_id}/debrief",
        f"/interviews/{past}/invite.ics",
    ):
        body = client.get(path).get_data(as_text=True)
        assert NAME in body, path
        assert "Blind review" not in body, path


def test_a_hiring_manager_of_another_job_on_the_panel_reviews_blind(app, client, db, auth):
    rows = blind_team(app, db)
    past = db.session.get(Interview, rows.ids["interview_id"][0])
    other_manager = factories.UserFactory(team=rows.team, role=Role.HIRING_MANAGER)
    factories.PanelMemberFactory(team=rows.team, interview=past, user=other_manager)
    auth.login(user=other_manager)

    html = client.get(f"/interviews/{past.id}").get_data(as_text=True)

    assert not identity_in(html)
    assert "Blind review" in html


def test_with_the_setting_off_the_interviewer_sees_the_name(app, client, db, auth):
    rows = blind_team(app, db, blind_on=False)
    past, upcoming = rows.ids["interview_id"]
    auth.login(user=rows.users[Role.INTERVIEWER])

    assert NAME in client.get(f"/interviews/{past}/scorecard").get_data(as_text=True)
    assert NAME in client.get("/my-interviews").get_data(as_text=True)
    feed = client.get(f"/calendar/{rows.secrets['calendar']}.ics").get_data(as_text=True)
    assert NAME in feed and EMAIL in feed
    assert "Blind review" not in client.get(f"/interviews/{upcoming}").get_data(as_text=True)


def test_once_past_the_screen_the_interviewers_see_the_name(app, client, db, auth):
    rows = blind_team(app, db)
    application = db.session.get(Application, rows.ids["application_id"][0])
    application.current_stage = max(application.job.stages, key=lambda stage: stage.position)
    db.session.flush()
    upcoming = rows.ids["interview_id"][1]
    auth.login(user=rows.users[Role.INTERVIEWER])

    assert NAME in client.get(f"/interviews/{upcoming}").get_data(as_text=True)
    assert NAME in client.get("/my-interviews").get_data(as_text=True)


def test_the_panel_emails_and_their_calendar_files_keep_the_review_blind(app, db):
    rows = blind_team(app, db)
    upcoming = db.session.get(Interview, rows.ids["interview_id"][1])
    manager = rows.users[Role.HIRING_MANAGER]
    factories.PanelMemberFactory(team=rows.team, interview=upcoming, user=manager)
    db.session.refresh(upcoming)

    emails = queue_interview_email(db.session, upcoming, EmailKind.RESCHEDULED)

    by_address = {email.to_email: email for email in emails}
    interviewer = by_address[rows.users[Role.INTERVIEWER].email]
    assert not identity_in(interviewer.subject + interviewer.body + interviewer.ics)
    assert blind.pseudonym(upcoming.application) in interviewer.subject
    attendees = [
        str(a) for a in Calendar.from_ical(interviewer.ics).walk("VEVENT")[0].get("attendee")
    ]
    assert f"mailto:{EMAIL}" not in attendees
    # The hiring manager on the same panel, and the candidate, see the name as before.
    assert NAME in by_address[manager.email].body
    assert EMAIL in by_address[manager.email].ics
    assert NAME.split()[0] in by_address[EMAIL].body


def test_the_scorecard_reminder_in_the_outbox_keeps_the_review_blind(app, db):
    rows = blind_team(app, db)
    past = db.session.get(Interview, rows.ids["interview_id"][0])
    # A Wednesday afternoon, two hours after the interview ended.
    past.starts_at = datetime(2026, 3, 4, 9, tzinfo=UTC)
    past.ends_at = past.starts_at + timedelta(hours=1)
    db.session.flush()
    now = past.ends_at + timedelta(hours=2)

    reminders.send_due_reminders(db.session, now, link_for=lambda i: f"/interviews/{i.id}")

    sent = db.session.scalars(
        select(OutboxEmail).where(
            OutboxEmail.team_id == rows.team.id,
            OutboxEmail.to_email == rows.users[Role.INTERVIEWER].email,
            OutboxEmail.subject.startswith("Scorecard reminder"),
        )
    ).all()
    assert len(sent) == 1
    assert not identity_in(sent[0].subject + sent[0].body)
    assert blind.pseudonym(past.application) in sent[0].body


def test_pseudonyms_are_stable_distinct_and_four_digits_at_first(db):
    class Row:
        def __init__(self, ident):
            self.id = ident

    labels = [blind.pseudonym(Row(ident)) for ident in range(1, 9000)]

    assert len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"Candidate \d{4}", label) for label in labels)
    assert blind.pseudonym(Row(17)) == blind.pseudonym(Row(17))
    assert blind.pseudonym(Row(9000)) not in labels
    assert blind.pseudonym(Row(17)) != "Candidate 17"


# The setting ----------------------------------------------------------------------------------


def test_an_admin_turns_blind_first_review_on_and_off(client, db, auth):
    admin = auth.login(Role.ADMIN)

    page = client.get("/team/review").get_data(as_text=True)
    on = client.post("/team/review", data={"enabled": "y"}, follow_redirects=True)

    assert "Review screens blind" in page
    assert "Screens are reviewed blind" in on.get_data(as_text=True)
    assert admin.team.blind_first_review
    assert "checked" in client.get("/team/review").get_data(as_text=True)
    off = client.post("/team/review", data={}, follow_redirects=True)
    assert "no longer reviewed blind" in off.get_data(as_text=True)
    assert not admin.team.blind_first_review
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.team_id == admin.team_id, AuditEvent.action.startswith("team.blind"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["team.blind_review_on", "team.blind_review_off"]


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_change_the_review_settings(client, auth, role):
    user = auth.login(role)

    assert client.get("/team/review").status_code == 403
    assert client.post("/team/review", data={"enabled": "y"}).status_code == 403
    assert not user.team.blind_first_review
