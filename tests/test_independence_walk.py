"""Independence, route by route: an interviewer who has not submitted their scorecard walks
every GET route of the app (the API's with their own token), and no colleague's scorecard
text or rating reaches them.

The walk reads ``app.url_map``, so a route added later is walked too; one whose URL
arguments it cannot fill fails the test until ``BY_NAME`` or ``BY_ENDPOINT`` says how.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from interviewer.accounts import invitations
from interviewer.api import tokens
from interviewer.auth import password_changes
from interviewer.auth.models import Role
from interviewer.candidates.pipeline import Move
from interviewer.candidates.portal_links import make_token
from interviewer.candidates.sources import team_sources
from interviewer.db import utcnow
from interviewer.emails.models import CandidateEmailKind
from interviewer.emails.services import save_text
from interviewer.files import services as files
from interviewer.files.checks import check_upload
from interviewer.plans.models import PlanTemplate
from interviewer.scheduling.emails import EmailKind, queue_interview_email
from interviewer.scorecards import services
from interviewer.scorecards.services import RatingInput, ScorecardInput
from interviewer.seed.cv_pdf import minimal_pdf
from interviewer.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.api_support import bearer
from tests.test_scorecard_writing import complete, url
from tests.walk import urls as walk_urls

#: Every text the colleague wrote; each is distinctive, and none is cut short on any page.
EVIDENCE_FIRST_VERSION = "Walrus first version: retried the consumer by hand"
EVIDENCE_API = "Walrus spotted the missing idempotency key"
EVIDENCE_TESTING = "Walrus saw property tests for the parser"
TAKEAWAYS = "Walrus takeaways: calm under failure modes"
TAKEAWAYS_FIRST_VERSION = "Walrus takeaways before the amendment"
AMENDMENT_REASON = "Walrus amendment: I mixed up two candidates"
EVIDENCE_SECOND_INTERVIEW = "Walrus second interview: sharded by tenant"
TAKEAWAYS_SECOND_INTERVIEW = "Walrus second takeaways: clear trade-offs"
COLLEAGUE_TEXTS = [
    EVIDENCE_FIRST_VERSION,
    EVIDENCE_API,
    EVIDENCE_TESTING,
    TAKEAWAYS,
    TAKEAWAYS_FIRST_VERSION,
    AMENDMENT_REASON,
    EVIDENCE_SECOND_INTERVIEW,
    TAKEAWAYS_SECOND_INTERVIEW,
    # The word they share, in case a page shortens one of them.
    "Walrus",
]
#: A rating or recommendation shown with its label, as the scorecard pages
#: ("1 Strong no") and the debrief ("Strong no (1)") render them. The interviewer walking
#: has submitted nothing, so no such label belongs on any page they see.
LABELLED_RATING = re.compile(
    r"\b[1-4] (Strong no|No|Yes|Strong yes)\s*</span>|(Strong no|No|Yes|Strong yes) \([1-4]\)"
)


@dataclass
class Setup:
    """One application with two interviews: the colleague scored both (and amended one);
    the interviewer walking sits on the first."""

    interviewer: object
    colleague: object
    application: object
    first: object
    second: object
    ids: dict[str, list] = field(default_factory=dict)
    by_endpoint: dict[str, dict[str, list]] = field(default_factory=dict)


def _card_input(entries, scores, evidence, takeaways, recommendation) -> ScorecardInput:
    return ScorecardInput(
        ratings={
            entry.skill.id: RatingInput(
                scores.get(entry.skill.name), evidence.get(entry.skill.name, "")
            )
            for entry in entries
        },
        key_takeaways=takeaways,
        recommendation=recommendation,
    )


def _colleague_scores(db, setup: Setup, now) -> list:
    """The colleague's scorecards, written through the real services: the first interview's
    submitted, then amended with a reason; the second's submitted."""
    session, colleague = db.session, setup.colleague
    cards = []
    entries = services.kit_entries(session, setup.first)
    card = services.scorecard_for(session, setup.first, colleague, now)
    services.submit(
        session,
        card,
        _card_input(
            entries,
            {"API design": 1, "Testing": 1},
            {"API design": EVIDENCE_FIRST_VERSION, "Testing": EVIDENCE_TESTING},
            TAKEAWAYS_FIRST_VERSION,
            1,
        ),
        entries=entries,
        expected_lock=0,
        actor=colleague,
        now=now,
    )
    services.amend(
        session,
        card,
        _card_input(
            entries,
            {"API design": 1, "Testing": 1},
            {"API design": EVIDENCE_API, "Testing": EVIDENCE_TESTING},
            TAKEAWAYS,
            1,
        ),
        AMENDMENT_REASON,
        entries=entries,
        expected_lock=card.lock_version,
        actor=colleague,
        now=now,
    )
    cards.append(card)
    entries = services.kit_entries(session, setup.second)
    second = services.scorecard_for(session, setup.second, colleague, now)
    services.submit(
        session,
        second,
        _card_input(
            entries,
            {"System design": 1},
            {"System design": EVIDENCE_SECOND_INTERVIEW},
            TAKEAWAYS_SECOND_INTERVIEW,
            1,
        ),
        entries=entries,
        expected_lock=0,
        actor=colleague,
        now=now,
    )
    cards.append(second)
    return cards


def _stage_with_kit(team, job, name, position, skills):
    stage = factories.PlanStageFactory(team=team, job=job, name=name, position=position)
    kit = factories.KitVersionFactory(team=team, plan_stage=stage)
    for skill in skills:
        factories.KitItemFactory(team=team, kit_version=kit, skill=skill)
        factories.ExpectationFactory(team=team, level=job.level, skill=skill, proficiency=3)
    return stage, kit


@pytest.fixture(params=["no scorecard", "a draft"])
def setup(request, app, db) -> Setup:
    now = utcnow().replace(microsecond=0)
    team = factories.TeamFactory()
    manager = factories.UserFactory(team=team, role=Role.HIRING_MANAGER)
    interviewer = factories.UserFactory(
        team=team, name="Ada Walker", calendar_token=secrets.token_urlsafe(16)
    )
    colleague = factories.UserFactory(team=team, name="Bea Colleague")
    job = factories.JobFactory(team=team, hiring_manager=manager)
    skills = {
        name: factories.SkillFactory(team=team, name=name)
        for name in ("API design", "Testing", "System design")
    }
    coding, coding_kit = _stage_with_kit(
        team, job, "Live coding", 1, [skills["API design"], skills["Testing"]]
    )
    design, design_kit = _stage_with_kit(team, job, "System design", 2, [skills["System design"]])
    application = factories.ApplicationFactory(team=team, job=job, current_stage=design)
    with app.app_context():
        application.cv_file = files.store(
            db.session,
            team_id=team.id,
            checked=check_upload("cv.pdf", minimal_pdf(["Candidate CV"]), max_bytes=10**6),
        )
    first = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=coding,
        kit_version=coding_kit,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
    )
    second = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=design,
        kit_version=design_kit,
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=1),
    )
    for interview, people in ((first, (interviewer, colleague)), (second, (colleague,))):
        for person in people:
            factories.PanelMemberFactory(team=team, interview=interview, user=person)
    result = Setup(interviewer, colleague, application, first, second)
    # An endpoint for every event, before the scorecards: their deliveries are walked too.
    hook = WebhookEndpoint(
        team=team, url="https://hooks.example.com/in", events=" ".join(EVENTS), secret="whsec_x"
    )
    db.session.add(hook)
    db.session.flush()
    cards = _colleague_scores(db, result, now)
    if request.param == "a draft":
        entries = services.kit_entries(db.session, first)
        draft = services.scorecard_for(db.session, first, interviewer, now)
        services.save_draft(
            db.session,
            draft,
            _card_input(entries, {"API design": 2}, {"API design": "My own note."}, "", None),
            entries=entries,
            expected_lock=0,
            actor=interviewer,
            now=now,
        )
        cards.append(draft)

    window = factories.AvailabilityFactory(team=team, user=interviewer)
    exception = factories.AvailabilityExceptionFactory(team=team, user=interviewer)
    template = PlanTemplate(team=team, name="Backend loop", created_by=manager)
    db.session.add(template)
    emails = queue_interview_email(db.session, first, EmailKind.SCHEDULED)
    invitation_links = []
    invitations.invite(
        db.session,
        team=team,
        inviter=manager,
        email="new.colleague@example.com",
        name="New Colleague",
        role=Role.INTERVIEWER,
        link_for=lambda token: invitation_links.append(token) or f"/invite/{token}",
    )
    email_text = save_text(
        db.session,
        application.team_id,
        CandidateEmailKind.MOVED_ON,
        "",
        subject="Next step: {{ stage_name }}",
        body="Hello {{ first_name }}, you move on to {{ stage_name }}.",
        actor=manager,
    )
    db.session.flush()
    with app.test_request_context():
        portal_token = make_token(application)
        # The manager's reset link: its page must show no scorecard either.
        reset_token = password_changes.reset_token(manager)

    result.ids = {
        "application_id": [application.id],
        "candidate_id": [application.candidate_id],
        "source_id": [source.id for source in team_sources(db.session, team.id)],
        "job_id": [job.id],
        "stage_id": [coding.id, design.id],
        "interview_id": [first.id, second.id],
        "scorecard_id": [card.id for card in cards],
        "user_id": [interviewer.id, colleague.id],
        "level_id": [job.level_id],
        "skill_id": [skill.id for skill in skills.values()],
        "template_id": [template.id],
        "window_id": [window.id],
        "exception_id": [exception.id],
        "email_id": [email.id for email in emails],
        "email_template_id": [email_text.id],
        "kind": [kind.value for kind in CandidateEmailKind],
        "move": [move.value for move in Move],
        "team_slug": [team.slug],
        "job_slug": [job.slug],
        "webhook_id": [hook.id],
        "delivery_id": [delivery.id for delivery in hook.deliveries],
    }
    # ``token`` means a different secret on each face.
    result.by_endpoint = {
        "portal": {"token": [portal_token]},
        "scheduling.feed_ics": {"token": [interviewer.calendar_token]},
        "accounts.reset_password": {"token": [reset_token]},
        "accounts.accept_invitation": {"token": invitation_links},
    }
    return result


def _urls(app, setup: Setup) -> tuple[dict[str, list[str]], list[str]]:
    """Every GET URL to request, by endpoint, and the routes whose arguments cannot be filled."""
    return walk_urls(app, setup.ids, setup.by_endpoint)


#: A recommendation in the API's JSON: the interviewer's own draft has none.
API_RECOMMENDATION = re.compile(r'"recommendation":\s*[1-4]')


def _leaks(body: str) -> list[str]:
    found = [text for text in COLLEAGUE_TEXTS if text in body]
    found += [match.group(0) for match in LABELLED_RATING.finditer(body)]
    found += [match.group(0) for match in API_RECOMMENDATION.finditer(body)]
    return found


def test_no_route_shows_a_colleagues_scorecard_before_the_interviewer_submits(
    app, client, auth, setup: Setup
):
    auth.login(user=setup.interviewer)
    urls, unfilled = _urls(app, setup)
    assert not unfilled, (
        "routes the walk cannot fill; add their arguments to the setup (or to SKIPPED, "
        "saying why):\n" + "\n".join(unfilled)
    )

    # The API's routes are walked with the interviewer's own token, every scope on it.
    api = bearer(setup.interviewer, *tokens.SCOPES)
    leaks, statuses = [], {}
    # The API's paths are walked with the interviewer's token, every scope.
    api = bearer(setup.interviewer, *tokens.SCOPES)
    for endpoint, paths in urls.items():
        for path in paths:
            headers = api if path.startswith("/api/") else {}
            response = client.get(path, follow_redirects=True, headers=headers)
            statuses[path] = response.status_code
            for step in [*response.history, response]:
                found = _leaks(step.get_data(as_text=True))
                if found:
                    leaks.append(f"{path} ({endpoint}, {step.status_code}): {found}")

    assert not leaks, "a colleague's scorecard reached the interviewer:\n" + "\n".join(leaks)
    # The walk reached the pages that matter, so it proves something.
    first, application_id = setup.first, setup.application.id
    assert statuses["/my-interviews"] == 200
    assert statuses[f"/interviews/{first.id}"] == 200
    assert statuses[url(first)] == 200
    assert statuses[f"/applications/{application_id}/scorecards"] == 403
    # The CV of the application they interview is theirs to read; the debrief is not.
    assert statuses[f"/applications/{application_id}/cv"] == 200
    assert statuses[f"/api/v1/interviews/{first.id}"] == 200
    assert statuses[f"/api/v1/applications/{application_id}/decision"] == 403
    assert len(statuses) >= 60
    assert [path for path in statuses if path.startswith("/api/v1/")], "no API route walked"
    assert statuses["/api/v1/openapi.json"] == 200


def test_after_submitting_the_interviewer_sees_the_colleagues_texts(client, db, auth, setup: Setup):
    auth.login(user=setup.interviewer)
    colleagues = f"/applications/{setup.application.id}/scorecards"
    assert not _leaks(client.get(colleagues).get_data(as_text=True))
    draft = services.find_scorecard(db.session, setup.first, setup.interviewer)

    response = client.post(
        url(setup.first), data=complete(setup.first, lock=draft.lock_version if draft else 0)
    )
    assert response.status_code == 302

    page = client.get(colleagues).get_data(as_text=True)
    for text in (EVIDENCE_API, EVIDENCE_TESTING, TAKEAWAYS, EVIDENCE_SECOND_INTERVIEW):
        assert text in page
    assert LABELLED_RATING.search(page), "the colleague's ratings are not shown with labels"


def test_no_webhook_payload_carries_a_colleagues_scorecard(db, setup: Setup):
    """Deliveries go to a team's tools, outside the independence rule: ids only."""
    payloads = db.session.scalars(select(WebhookDelivery.payload)).all()
    assert any('"scorecard.submitted"' in payload for payload in payloads)
    for payload in payloads:
        assert not _leaks(payload), payload
        fields = set(json.loads(payload)["data"])
        assert not fields & {"score", "ratings", "recommendation", "evidence", "key_takeaways"}
