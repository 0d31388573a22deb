"""Tenancy, route by route: signed in to team B, every route of the app is requested with
team A's ids, and none answers with team A's data or changes team A's rows.

The walk reads ``app.url_map`` (through ``tests/walk.py``), so a route added later is walked
too; one whose URL arguments it cannot fill fails the test until the setup names them.

- Every GET and POST URL that carries one of team A's ids answers 404, alone or beside
  team B's own ids (``/jobs/<B's job>/plan/stages/<A's stage>/edit``). The only exceptions
  are the routes in ``REFUSED_BEFORE_LOADING``, which refuse the walker's role with 403
  before they read any row; the walk checks that they answer 403 for an id no row has too.
- POSTs carry an empty body (CSRF is off in testing): a route that loaded team A's row
  would run its form on it. The API's PATCH, PUT and DELETE routes are walked the same way,
  with the walker's token, an empty JSON body and an ``If-Match`` no row has.
- No page, redirect or flashed message shows any of team A's texts or secrets.
- Team A's rows, every column of every table, are the same after the walk as before, and
  no row of one team points at a row of the other.
"""

from __future__ import annotations

import itertools
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from interviewer.accounts import invitations
from interviewer.api import tokens
from interviewer.auth import password_changes
from interviewer.auth.models import Role
from interviewer.branding import services as branding
from interviewer.candidates.models import Candidate
from interviewer.candidates.pipeline import Move
from interviewer.candidates.portal_links import make_token
from interviewer.db import Base, utcnow
from interviewer.emails.models import CandidateEmailKind
from interviewer.emails.services import reasons_of, save_text
from interviewer.files import services as files
from interviewer.files.checks import check_upload
from interviewer.plans.models import Job
from interviewer.plans.plan_copies import save_template
from interviewer.scheduling import pools
from interviewer.scheduling.emails import EmailKind, queue_interview_email
from interviewer.scheduling.pool_models import TrainingPhase
from interviewer.scheduling.services import propose_windows
from interviewer.scorecards import services as scorecards
from interviewer.scorecards.models import ScorecardReminder
from interviewer.scorecards.services import RatingInput, ScorecardInput
from interviewer.seed.cv_pdf import minimal_pdf
from interviewer.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests import factories, walk
from tests.api_support import bearer
from tests.branding_support import svg

#: Every text of team A carries this word, in any case: names, titles, notes, scorecards.
MARK_A = "Zebracorn"
MARK_B = "Plainfield"

#: URL arguments that name no team's row: the walk tries the same values for both teams.
NEUTRAL = {
    "move": [move.value for move in Move],
    "kind": [kind.value for kind in CandidateEmailKind],
}

#: POSTs the walk sends last, and why.
LAST = {
    "auth.logout": "signs the walker out; it carries no id and reads no row",
    "accounts.sign_out_for_invitation": "signs the walker out, then shows their own invitation",
    "auth.sign_out_everywhere": "ends the walker's sessions; it carries no id and reads no row",
}

#: Why a role is refused before anything is loaded.
MANAGERS_ONLY = "manager_required: refuses an interviewer before loading the row"
ADMINS_ONLY = "admin_required: refuses a hiring manager before loading the row"
#: The admin's actions on one candidate's data: its export and its erasure.
ADMINS_CANDIDATE_DATA = {
    "privacy.export_candidate": ({"POST"}, ADMINS_ONLY),
    "privacy.erase_candidate": ({"GET", "POST"}, ADMINS_ONLY),
}
#: The admin's actions on one user or invitation of the team.
ADMINS_ACCOUNTS = (
    "accounts.change_role",
    "accounts.deactivate",
    "accounts.reactivate",
    "accounts.reset_two_factor",
    "accounts.resend_invitation",
    "accounts.revoke_invitation",
)
#: The admin's actions on one of the team's candidate sources.
ADMINS_SOURCES = (
    "dashboard.archive_source",
    "dashboard.move_source",
    "dashboard.restore_source",
)

#: The admin's pages and actions on one of the team's webhook endpoints or deliveries.
ADMINS_WEBHOOKS = {
    "webhooks.edit": ({"GET", "POST"}, ADMINS_ONLY),
    "webhooks.log": ({"GET"}, ADMINS_ONLY),
    "webhooks.delivery_detail": ({"GET"}, ADMINS_ONLY),
    **{
        endpoint: ({"POST"}, ADMINS_ONLY)
        for endpoint in (
            "webhooks.toggle",
            "webhooks.delete",
            "webhooks.roll",
            "webhooks.redeliver_event",
        )
    },
}

#: Routes that answer 403 to a role before reading any row, by role and endpoint, with the
#: methods concerned. Any other URL that carries one of team A's ids must answer 404.
REFUSED_BEFORE_LOADING: dict[Role, dict[str, tuple[set[str], str]]] = {
    Role.ADMIN: {},
    Role.HIRING_MANAGER: {
        "mail.outbox_email": ({"GET"}, ADMINS_ONLY),
        "mail.retry": ({"POST"}, ADMINS_ONLY),
        **{endpoint: ({"POST"}, ADMINS_ONLY) for endpoint in ADMINS_ACCOUNTS},
        **{endpoint: ({"POST"}, ADMINS_ONLY) for endpoint in ADMINS_SOURCES},
        "dashboard.edit_source": ({"GET", "POST"}, ADMINS_ONLY),
        **ADMINS_CANDIDATE_DATA,
        **ADMINS_WEBHOOKS,
    },
    Role.INTERVIEWER: {
        **{
            endpoint: ({"GET", "POST", "PATCH", "PUT", "DELETE"}, MANAGERS_ONLY)
            for endpoint in (
                "dashboard.edit_candidate",
                "dashboard.move_application",
                "Catalog.get_level",
                "Catalog.get_skill",
                "Candidates.get_application",
                "Candidates.get_candidate",
                "Candidates.move_application",
                "Candidates.update_candidate",
                "Jobs.close_job",
                "Jobs.open_job",
                "Jobs.update_job",
                "Interviews.cancel_interview",
                "Interviews.list_slots",
                "Interviews.reschedule_interview",
                "catalog.delete_level",
                "catalog.delete_skill",
                "catalog.edit_level",
                "catalog.edit_skill",
                "catalog.matrix",
                "catalog.move_level",
                "dashboard.apply_to_job",
                "dashboard.board",
                "dashboard.board_bulk",
                "dashboard.candidate",
                "plans.add_stage",
                "plans.apply_template",
                "plans.close_job",
                "plans.copy_plan",
                "plans.delete_stage",
                "plans.delete_template",
                "plans.edit_job",
                "plans.edit_stage",
                "plans.job_preview",
                "plans.move_stage",
                "plans.open_job",
                "plans.save_template",
                "portal.renew_link",
                "scheduling.cancel",
                "scheduling.offer_automatically",
                "scheduling.offer_times",
                "scheduling.loop",
                "scheduling.reschedule",
                "scheduling.schedule",
                "scheduling.withdraw_offer",
                "scheduling.user_availability",
                "scheduling.pools_index",
                "scheduling.create_pool",
                "scheduling.delete_pool",
                "scheduling.add_pool_member",
                "scheduling.change_pool_phase",
                "scheduling.sign_off_trainee",
                "scheduling.remove_pool_member",
                "scorecards.consider",
                "scorecards.decide",
            )
        },
        "Decisions.decision": ({"POST"}, "only managers record a decision: refused first"),
        "plans.kit": ({"POST"}, "only managers edit a kit: refused before the kit is loaded"),
        "emails.move_preview": ({"GET"}, MANAGERS_ONLY),
        "emails.reset": ({"POST"}, MANAGERS_ONLY),
        "mail.outbox_email": ({"GET"}, "admin_required: refuses an interviewer first"),
        "mail.retry": ({"POST"}, "admin_required: refuses an interviewer first"),
        **{
            endpoint: ({"POST"}, "admin_required: refuses an interviewer first")
            for endpoint in (*ADMINS_ACCOUNTS, *ADMINS_SOURCES)
        },
        "dashboard.edit_source": ({"GET", "POST"}, "admin_required: refuses an interviewer first"),
        **ADMINS_CANDIDATE_DATA,
        **ADMINS_WEBHOOKS,
    },
}

#: An id that no row has, to tell a refusal of the role from a refusal of the row.
MISSING_ID = 999_999_999

#: Ids in the query string: ``(path pattern, whether team A's id must give 404)``. A page that
#: only preselects from the team's own rows may ignore an id it does not know.
QUERY_STRING_IDS = [
    ("/catalog/matrix?level={level_id}", True),
    ("/jobs/new?level_id={level_id}", False),
    ("/candidates/new?job_id={job_id}", False),
    ("/team/audit?person={user_id}", False),
    ("/candidates/?source={source_id}", False),
    # Another team's job or stage narrows the API's list to nothing.
    ("/api/v1/applications?job={job_id}&stage={stage_id}", False),
]


@dataclass
class TeamRows:
    """One team with a row of every kind, each text carrying the team's mark."""

    team: object
    users: dict[Role, object]
    ids: dict[str, list] = field(default_factory=dict)
    #: Secrets that open a public face: the candidate's portal token, a calendar feed token.
    secrets: dict[str, str] = field(default_factory=dict)


def _stage(team, job, name, position, skills, marker, stage_type=None):
    extra = {"stage_type": stage_type} if stage_type is not None else {}
    stage = factories.PlanStageFactory(team=team, job=job, name=name, position=position, **extra)
    stage.focus_skills = list(skills)
    kit = factories.KitVersionFactory(
        team=team, plan_stage=stage, what_to_expect=f"{marker} pairing in a shared editor"
    )
    for skill in skills:
        factories.KitItemFactory(
            team=team,
            kit_version=kit,
            skill=skill,
            questions=f"{marker} question on {skill.name}",
            probe=f"{marker} probe",
            rubric=f"{marker} rubric",
        )
        factories.ExpectationFactory(
            team=team,
            level=job.level,
            skill=skill,
            proficiency=3,
            description=f"{marker} anchor",
        )
    return stage, kit


def _scorecard_input(db, interview, marker, score) -> tuple[list, ScorecardInput]:
    entries = scorecards.kit_entries(db.session, interview)
    return entries, ScorecardInput(
        ratings={
            entry.skill.id: RatingInput(score, f"{marker} evidence on {entry.skill.name}")
            for entry in entries
        },
        key_takeaways=f"{marker} takeaways",
        recommendation=score,
    )


def build_team(app, db, marker: str) -> TeamRows:
    """A team with users of every role, a job with its plan, kits and a template, a candidate
    with an application, a past and an upcoming interview, a submitted and amended scorecard
    and a draft, a decision, availability, a reminder, the candidate's windows, emails."""
    now = utcnow().replace(microsecond=0)
    mark = marker.lower()
    session = db.session
    team = factories.TeamFactory(
        name=f"{marker} Labs",
        slug=f"{mark}-labs",
        display_name=f"{marker} Careers",
        accent_color="#1f5fbf",
    )
    # The logo's text names the team, so another team's logo served by mistake shows.
    branding.save_logo(session, team, None, svg(f"<title>{marker} logo</title><rect/>"))

    def user(role, first, **fields):
        return factories.UserFactory(
            team=team,
            role=role,
            name=f"{first} {marker}",
            email=f"{first}@{mark}.example".lower(),
            **fields,
        )

    admin = user(Role.ADMIN, "Ada")
    manager = user(Role.HIRING_MANAGER, "Max")
    interviewer = user(Role.INTERVIEWER, "Ivy", calendar_token=secrets.token_urlsafe(16))
    colleague = user(Role.INTERVIEWER, "Cole", calendar_token=secrets.token_urlsafe(16))

    level = factories.LevelFactory(team=team, name=f"{marker} Senior")
    job = factories.JobFactory(
        team=team,
        level=level,
        hiring_manager=manager,
        title=f"{marker} Backend Developer",
        slug=f"{mark}-backend-developer",
        description=f"{marker} builds the services behind the product.",
    )
    skills = {
        name: factories.SkillFactory(team=team, name=f"{marker} {name}", category=f"{marker} area")
        for name in ("API design", "Testing", "System design")
    }
    own_type = factories.StageTypeFactory(
        team=team, key=f"{mark}_pairing", name=f"{marker} pairing", builtin=False
    )
    coding, _ = _stage(
        team, job, f"{marker} live coding", 1, [skills["API design"], skills["Testing"]], marker
    )
    design, _ = _stage(
        team, job, f"{marker} system design", 2, [skills["System design"]], marker, own_type
    )
    source = factories.CandidateSourceFactory(team=team, name=f"{marker} meetup")
    candidate = factories.CandidateFactory(
        team=team,
        source=source.name,
        name=f"Ottoline {marker}",
        email=f"ottoline@{mark}.example",
        notes=f"{marker} candidate notes",
        links=f"https://{mark}.example/ottoline",
    )
    application = factories.ApplicationFactory(
        team=team, candidate=candidate, job=job, current_stage=design
    )
    with app.app_context():
        # A CV from the careers page, kept through the storage like any upload.
        application.cv_file = files.store(
            session,
            team_id=team.id,
            checked=check_upload(f"{mark}-cv.pdf", minimal_pdf([f"{marker} CV"]), max_bytes=10**6),
        )
    application.cover_note = f"{marker} cover note"
    past = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=coding,
        kit_version=coding.kit_versions[0],
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
        location=f"{marker} room",
    )
    upcoming = factories.InterviewFactory(
        team=team,
        application=application,
        plan_stage=design,
        kit_version=design.kit_versions[0],
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        location=f"{marker} room",
    )
    for interview, people in ((past, (interviewer, colleague)), (upcoming, (interviewer,))):
        for person in people:
            factories.PanelMemberFactory(team=team, interview=interview, user=person)

    # The colleague's scorecard, submitted then amended; the interviewer's, a draft.
    entries, card_input = _scorecard_input(db, past, marker, 3)
    card = scorecards.scorecard_for(session, past, colleague, now)
    scorecards.submit(
        session, card, card_input, entries=entries, expected_lock=0, actor=colleague, now=now
    )
    entries, card_input = _scorecard_input(db, past, f"{marker} amended", 4)
    scorecards.amend(
        session,
        card,
        card_input,
        f"{marker} amendment reason",
        entries=entries,
        expected_lock=card.lock_version,
        actor=colleague,
        now=now,
    )
    entries, draft_input = _scorecard_input(db, past, f"{marker} draft", 2)
    draft = scorecards.scorecard_for(session, past, interviewer, now)
    scorecards.save_draft(
        session, draft, draft_input, entries=entries, expected_lock=0, actor=interviewer, now=now
    )

    factories.DecisionFactory(
        team=team, application=application, decided_by=manager, rationale=f"{marker} rationale"
    )
    template = save_template(session, job, manager, f"{marker} loop")
    window = factories.AvailabilityFactory(team=team, user=interviewer)
    exception = factories.AvailabilityExceptionFactory(
        team=team, user=interviewer, note=f"{marker} conference"
    )
    propose_windows(
        session, application, [(now + timedelta(days=5), now + timedelta(days=5, hours=2))]
    )
    session.add(
        ScorecardReminder(team=team, interview=past, user=interviewer, local_date=now.date())
    )
    emails = queue_interview_email(session, upcoming, EmailKind.SCHEDULED)
    rejection = CandidateEmailKind.REJECTION
    email_text = save_text(
        session,
        team.id,
        rejection,
        reasons_of(rejection, team.id)[0],
        subject=f"{marker} rejection subject",
        body=f"Dear {{{{ first_name }}}}, {marker} rejection text.",
        actor=manager,
    )
    links = []
    invitation = invitations.invite(
        session,
        team=team,
        inviter=admin,
        email=f"iris@{mark}.example",
        name=f"Iris {marker}",
        role=Role.INTERVIEWER,
        link_for=lambda token: links.append(token) or f"http://localhost/invite/{token}",
    )
    hook = WebhookEndpoint(
        team=team,
        url=f"https://{mark}.example/hook",
        description=f"{marker} sync",
        events="interview.scheduled",
        secret=f"whsec_{mark}-signing-secret",
    )
    hook_delivery = WebhookDelivery(
        team=team,
        endpoint=hook,
        event_id=str(uuid.uuid4()),
        event_type="interview.scheduled",
        payload=f'{{"team": "{mark}-labs"}}',
    )
    session.add_all([hook, hook_delivery])
    team_token, team_secret = tokens.issue(
        session, admin, kind=tokens.TEAM, name=f"{marker} HRIS sync", scopes=[tokens.READ]
    )
    own_token, own_secret = tokens.issue(
        session, interviewer, kind=tokens.PERSONAL, name=f"{marker} script", scopes=[tokens.READ]
    )
    pool = pools.create_pool(session, own_type, actor=admin)
    for person in (admin, manager, interviewer):
        pools.add_member(session, pool, person, TrainingPhase.QUALIFIED, actor=admin)
    trainee = pools.add_member(session, pool, colleague, TrainingPhase.SHADOW, actor=admin)
    session.flush()
    with app.test_request_context():
        portal_token = make_token(application)
        # A reset link of the manager (who walks, but never posts a password).
        reset_token = password_changes.reset_token(manager)

    users = [admin, manager, interviewer, colleague]
    return TeamRows(
        team=team,
        users={Role.ADMIN: admin, Role.HIRING_MANAGER: manager, Role.INTERVIEWER: interviewer},
        ids={
            "application_id": [application.id],
            "candidate_id": [candidate.id],
            "source_id": [source.id],
            "job_id": [job.id],
            "stage_id": [coding.id, design.id],
            "interview_id": [past.id, upcoming.id],
            "scorecard_id": [card.id, draft.id],
            "user_id": [person.id for person in users],
            "level_id": [level.id],
            "skill_id": [skill.id for skill in skills.values()],
            "template_id": [template.id],
            "window_id": [window.id],
            "exception_id": [exception.id],
            "email_id": [email.id for email in emails],
            "email_template_id": [email_text.id],
            "invitation_id": [invitation.id],
            "webhook_id": [hook.id],
            "delivery_id": [hook_delivery.id],
            "token_id": [team_token.id, own_token.id],
            "pool_id": [pool.id],
            "member_id": [trainee.id],
            "stage_type_id": [own_type.id],
            "team_slug": [team.slug],
            "job_slug": [job.slug],
        },
        secrets={
            "portal": portal_token,
            "calendar": interviewer.calendar_token,
            "calendar (colleague)": colleague.calendar_token,
            "reset": reset_token,
            "invitation": links[0],
            "webhook secret": hook.secret,
            "team API token": team_secret,
            "personal API token": own_secret,
        },
    )


# The walk --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One URL to request, and whether one of its arguments is team A's."""

    endpoint: str
    path: str
    foreign: bool
    #: The same URL with team A's ids replaced by ids no row has.
    missing: str


def _own_secrets(ours: TeamRows) -> dict[str, dict[str, list]]:
    """The walker's own tokens and slug for the public faces (``by_endpoint`` of the walk).

    The public faces, reached without signing in, open what their token or slug names. The
    walk gives them team B's own (they may answer with team B's rows) and team A's ids beside
    them, which must be 404: a portal link opens only its own candidate's interviews, a
    team's careers page only its own jobs. Team A's own token or slug opens team A's rows by
    design (whoever holds the candidate's link is the candidate), so the walk never uses them.
    """
    return {
        "portal": {"token": [ours.secrets["portal"]]},
        "scheduling.feed_ics": {"token": [ours.secrets["calendar"]]},
        "careers": {"team_slug": ours.ids["team_slug"]},
        # The logo and stylesheet of the careers pages: public, by the team's slug.
        "branding.logo": {"team_slug": ours.ids["team_slug"]},
        "branding.style": {"team_slug": ours.ids["team_slug"]},
        "accounts.reset_password": {"token": [ours.secrets["reset"]]},
        "accounts.accept_invitation": {"token": [ours.secrets["invitation"]]},
        "accounts.sign_out_for_invitation": {"token": [ours.secrets["invitation"]]},
    }


def _missing(name: str):
    return MISSING_ID if name.endswith("_id") else "no-such-row"


def targets(app, method: str, theirs: TeamRows, ours: TeamRows) -> tuple[list[Target], list[str]]:
    """Every URL of ``method`` to request, and the routes whose arguments cannot be filled.

    Each argument is tried with team A's values and the walker's own, in every combination
    that holds at least one of team A's; an argument that names no team's row (``NEUTRAL``)
    or a public face's own token or slug is tried with that value only.
    """
    own = _own_secrets(ours)
    found, unfilled = [], []
    for rule in walk.walked_rules(app, method):
        fixed = walk.argument_values(rule, NEUTRAL, own)
        foreign = walk.argument_values(rule, theirs.ids, {})
        mine = walk.argument_values(rule, ours.ids, {})
        options = {}
        for name in fixed:
            if fixed[name]:
                options[name] = [(value, False) for value in fixed[name]]
            else:
                options[name] = [(value, True) for value in foreign[name]] + [
                    (value, False) for value in mine[name]
                ]
        unfilled += walk.unfilled(rule, {n: fixed[n] or foreign[n] for n in fixed})
        for combination in itertools.product(*options.values()):
            is_foreign = any(theirs_ for _, theirs_ in combination)
            if options and not is_foreign and any(not fixed[n] for n in options):
                continue  # only the walker's own rows: nothing of team A's to protect
            arguments = {name: value for name, (value, _) in zip(options, combination, strict=True)}
            missing = {
                name: _missing(name) if theirs_ else value
                for name, (value, theirs_) in zip(options, combination, strict=True)
            }
            found.append(
                Target(
                    rule.endpoint,
                    walk.build(app, rule, arguments, method),
                    is_foreign,
                    walk.build(app, rule, missing, method),
                )
            )
    return found, unfilled


def _query_string_targets(app, theirs: TeamRows) -> list[Target]:
    adapter = app.url_map.bind("localhost")
    result = []
    for pattern, foreign in QUERY_STRING_IDS:
        path = pattern.format(**{name: values[0] for name, values in theirs.ids.items()})
        endpoint, _ = adapter.match(path.partition("?")[0])
        missing = pattern.format(**{name: MISSING_ID for name in theirs.ids})
        result.append(Target(endpoint, path, foreign, missing))
    return result


def _secret_texts(theirs: TeamRows) -> list[str]:
    return [MARK_A.lower(), *theirs.secrets.values()]


def leaks(body: str, theirs: TeamRows) -> list[str]:
    """Team A's texts and secrets found in ``body``, with a little context."""
    lowered = body.lower()
    found = []
    for text in _secret_texts(theirs):
        for match in re.finditer(re.escape(text.lower()), lowered):
            found.append(" ".join(body[max(0, match.start() - 40) : match.end() + 40].split()))
    return found


def _refusal(role: Role, method: str, endpoint: str) -> str | None:
    methods, reason = REFUSED_BEFORE_LOADING[role].get(endpoint, (set(), None))
    return reason if method in methods else None


@dataclass
class Findings:
    """What went wrong in a walk, one line per URL."""

    statuses: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def report(self) -> str:
        parts = [
            ("unexpected statuses", self.statuses),
            ("team A's texts reached team B", self.leaks),
            ("requests that failed", self.errors),
        ]
        return "\n".join(f"{title}:\n  " + "\n  ".join(lines) for title, lines in parts if lines)


#: The methods only the API's routes answer (pages change things by POST alone).
API_WRITES = ("PATCH", "PUT", "DELETE")


def send(client, db, method: str, path: str, findings: Findings, api: dict | None = None):
    """``method`` on ``path`` with an empty body, following redirects; ``None`` on an error.

    The API's paths are sent with ``api``, the walker's bearer token header.
    """
    headers = api if api and path.startswith("/api/") else {}
    try:
        if method == "GET":
            return client.get(path, follow_redirects=True, headers=headers)
        if method in API_WRITES:
            # An If-Match no row has: the precondition is met, so the row is looked up (and
            # must be 404), yet even the walker's own row is never changed (412).
            headers = {**headers, "If-Match": '"walker"'}
            return client.open(path, method=method, json={}, headers=headers)
        if headers:
            return client.post(path, json={}, headers=headers)
        return client.post(path, data={}, follow_redirects=True)
    except Exception as error:  # noqa: BLE001 - every failure is reported with its route
        db.session.rollback()
        findings.errors.append(f"{method} {path}: {type(error).__name__}: {error}")
        return None


def visit(
    client, db, role: Role, method: str, target: Target, theirs, findings: Findings, api=None
):
    """Request ``target`` and record what is wrong with the answer."""
    response = send(client, db, method, target.path, findings, api)
    if response is None:
        return
    steps = [*response.history, response]
    status = steps[0].status_code
    for step in steps:
        found = leaks(step.get_data(as_text=True), theirs)
        if found:
            findings.leaks.append(
                f"{method} {target.path} ({target.endpoint}, {status}): {found[:3]}"
            )
    if status >= 500:
        findings.statuses.append(f"{method} {target.path} ({target.endpoint}): {status}")
    if not target.foreign:
        return
    refusal = _refusal(role, method, target.endpoint)
    expected = 403 if refusal else 404
    if status != expected:
        findings.statuses.append(
            f"{method} {target.path} ({target.endpoint}): {status}, expected {expected}"
        )
    elif refusal:
        # A 403 must come before any row is read: an id that no row has gets it too.
        check = send(client, db, method, target.missing, findings, api)
        if check is not None and check.status_code != 403:
            findings.statuses.append(
                f"{method} {target.path} ({target.endpoint}): 403 for team A's id but "
                f"{check.status_code} for a missing one, so the row is read before the refusal"
            )


# Team A's rows, before and after ------------------------------------------------------------


def _team_filter(table, team_id: int):
    """The rows of ``table`` that belong to the team: by ``team_id``, or through a parent."""
    if table.name == "team":
        return table.c.id == team_id
    if "team_id" in table.c:
        return table.c.team_id == team_id
    for key in sorted(table.foreign_keys, key=lambda key: key.parent.name):
        parent = key.column.table
        if "team_id" in parent.c:
            return key.parent.in_(select(key.column).where(parent.c.team_id == team_id))
    raise AssertionError(f"{table.name} belongs to no team")


def snapshot(db, team_id: int) -> dict[str, list[tuple]]:
    """Every column of every row of the team, table by table, in key order."""
    rows = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.c)
        statement = select(table).where(_team_filter(table, team_id)).order_by(*order)
        rows[table.name] = [tuple(row) for row in db.session.execute(statement)]
    return rows


def changes(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """What differs between two snapshots, table by table."""
    found = []
    for table, rows in before.items():
        gone = [row for row in rows if row not in after[table]]
        new = [row for row in after[table] if row not in rows]
        if gone or new:
            found.append(f"{table}: was {gone}, now {new}")
    return found


def cross_team_references(db) -> list[str]:
    """Rows that point at a row of another team: a foreign key across the tenant line.

    A row's team is its ``team_id``, or for a link table its first parent's.
    """
    found = []
    for table in Base.metadata.sorted_tables:
        keys = sorted(
            (key for key in table.foreign_keys if "team_id" in key.column.table.c),
            key=lambda key: key.parent.name,
        )
        owner_key = None if "team_id" in table.c else next(iter(keys), None)
        for key in keys:
            if key is owner_key:
                continue
            parent = key.column.table.alias()
            statement = (
                select(func.count())
                .select_from(table)
                .join(parent, key.parent == parent.c[key.column.name])
            )
            owner = table.c.get("team_id")
            if owner_key is not None:
                owners = owner_key.column.table.alias()
                statement = statement.join(
                    owners, owner_key.parent == owners.c[owner_key.column.name]
                )
                owner = owners.c.team_id
            count = db.session.scalar(statement.where(owner != parent.c.team_id))
            if count:
                found.append(f"{table.name}.{key.parent.name}: {count} rows of another team")
    return found


# Tests -------------------------------------------------------------------------------------


@pytest.fixture
def teams(app, db) -> tuple[TeamRows, TeamRows]:
    """Team A, whose rows the walk must not reach, and team B, the walker's."""
    return build_team(app, db, MARK_A), build_team(app, db, MARK_B)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_no_route_gives_or_changes_another_teams_data(app, client, db, auth, teams, role):
    theirs, ours = teams
    auth.login(user=ours.users[role])
    gets, unfilled_gets = targets(app, "GET", theirs, ours)
    posts, unfilled_posts = targets(app, "POST", theirs, ours)
    assert not unfilled_gets + unfilled_posts, (
        "routes the walk cannot fill; add their arguments to build_team (or to walk.SKIPPED, "
        "saying why):\n" + "\n".join(unfilled_gets + unfilled_posts)
    )
    assert not cross_team_references(db), "the setup itself crosses teams"
    listed = {endpoint for refused in REFUSED_BEFORE_LOADING.values() for endpoint in refused}
    assert listed <= set(app.view_functions), "REFUSED_BEFORE_LOADING names a route that is gone"
    before = snapshot(db, theirs.team.id)
    assert before["scorecard"] and before["outbox_email"] and before["candidate_window"]

    findings = Findings()
    api = bearer(ours.users[role], *tokens.SCOPES)
    for target in [*gets, *_query_string_targets(app, theirs)]:
        visit(client, db, role, "GET", target, theirs, findings, api)
    after_gets = changes(before, snapshot(db, theirs.team.id))
    posts.sort(key=lambda target: target.endpoint in LAST)
    for target in posts:
        visit(client, db, role, "POST", target, theirs, findings, api)
    writes = {}
    for method in API_WRITES:
        writes[method], unfilled = targets(app, method, theirs, ours)
        assert not unfilled, "API routes the walk cannot fill:\n" + "\n".join(unfilled)
        for target in writes[method]:
            visit(client, db, role, method, target, theirs, findings, api)

    assert not findings.report(), findings.report()
    assert not after_gets, "a GET changed team A's rows:\n" + "\n".join(after_gets)
    after_posts = changes(before, snapshot(db, theirs.team.id))
    assert not after_posts, "a POST changed team A's rows:\n" + "\n".join(after_posts)
    assert not cross_team_references(db), "a row of team B now points at team A's"
    # The walk covered every route, most of them with team A's ids.
    assert {target.endpoint for target in gets} == {
        rule.endpoint for rule in walk.walked_rules(app, "GET")
    }
    assert {target.endpoint for target in posts} == {
        rule.endpoint for rule in walk.walked_rules(app, "POST")
    }
    for method in API_WRITES:
        assert {target.endpoint for target in writes[method]} == {
            rule.endpoint for rule in walk.walked_rules(app, method)
        }
        assert all(rule.rule.startswith("/api/") for rule in walk.walked_rules(app, method))
    walked = [*gets, *posts, *(target for found in writes.values() for target in found)]
    with_rows = {
        rule.endpoint
        for method in ("GET", "POST", *API_WRITES)
        for rule in walk.walked_rules(app, method)
        if not all(walk.argument_values(rule, NEUTRAL, _own_secrets(ours)).values())
    }
    assert {target.endpoint for target in walked if target.foreign} == with_rows


def test_the_walk_tells_a_leak_a_wrong_status_a_changed_row_and_a_crossing(
    app, client, db, auth, teams
):
    """The checks of the walk can fail: a page of team A seen by one of its own users leaks,
    a 404 expected from it is a 200, a change to a row shows in the snapshot, and a row of
    team B pointing at team A's is found."""
    theirs, ours = teams
    auth.login(user=theirs.users[Role.HIRING_MANAGER])
    job_id = theirs.ids["job_id"][0]
    findings = Findings()
    target = Target("plans.job", f"/jobs/{job_id}", True, f"/jobs/{MISSING_ID}")

    visit(client, db, Role.HIRING_MANAGER, "GET", target, theirs, findings)

    assert any(f"/jobs/{job_id}" in line and "expected 404" in line for line in findings.statuses)
    assert any(f"{MARK_A} Backend Developer" in line for line in findings.leaks)
    before = snapshot(db, theirs.team.id)
    client.post(f"/jobs/{job_id}/close")
    assert any(line.startswith("job:") for line in changes(before, snapshot(db, theirs.team.id)))
    factories.ApplicationFactory(
        team=ours.team,
        candidate=db.session.get(Candidate, ours.ids["candidate_id"][0]),
        job=db.session.get(Job, job_id),
    )
    # The funnel's stored row of that application copies its job, so it crosses too.
    assert cross_team_references(db) == [
        "application.job_id: 1 rows of another team",
        "report_funnel_application.job_id: 1 rows of another team",
    ]


# Team A's ids in a form of team B's ---------------------------------------------------------


@dataclass
class Extra:
    """Team B's rows that the forms below act on: a second job with a one-stage plan, and an
    application to it by a second candidate."""

    job: object
    stage: object
    application: object
    #: A Monday 10:00 UTC, inside team B's interviewer's window, clear of their exception.
    monday: object


@pytest.fixture
def extra(teams) -> Extra:
    _, ours = teams
    team = ours.team
    job = factories.JobFactory(
        team=team, title=f"{MARK_B} Second Job", slug=f"{MARK_B.lower()}-second"
    )
    skill = factories.SkillFactory(team=team, name=f"{MARK_B} Second skill")
    stage, _ = _stage(team, job, f"{MARK_B} screen", 1, [skill], MARK_B)
    application = factories.ApplicationFactory(
        team=team, job=job, current_stage=stage, candidate__name=f"Nils {MARK_B}"
    )
    day = utcnow().date() + timedelta(days=8)
    day += timedelta(days=-day.weekday() % 7)
    return Extra(job, stage, application, day)


def _when(extra: Extra) -> dict:
    return {"starts_on": extra.monday.isoformat(), "start_time": "10:00", "timezone": "UTC"}


def _slot(extra: Extra, user_id: int) -> str:
    return f"{extra.monday.isoformat()}T10:00:00+00:00|{user_id}"


def _first(rows: TeamRows, name: str, own) -> int:
    """The team's first id for ``name``; for the walker's team, ``own`` when it is given."""
    return own if own is not None else rows.ids[name][0]


#: ``(case, path, body)``: ``path(ours, extra)``, ``body(rows, extra, mine)`` with the id
#: fields filled from ``rows`` (team A's, or the walker's own with ``mine``).
FORMS_WITH_IDS = [
    (
        "an application to their job",
        lambda ours, extra: f"/candidates/{ours.ids['candidate_id'][0]}/applications",
        lambda rows, extra, mine: {"job": _first(rows, "job_id", mine and extra.job.id)},
    ),
    (
        "a new candidate applied to their job",
        lambda ours, extra: "/candidates/new",
        lambda rows, extra, mine: {
            "name": f"Rhea {MARK_B}",
            "email": f"rhea@{MARK_B.lower()}.example",
            "job": _first(rows, "job_id", mine and extra.job.id),
        },
    ),
    (
        "a job at their level",
        lambda ours, extra: "/jobs/new",
        lambda rows, extra, mine: {
            "level_id": _first(rows, "level_id", None),
            "title": f"{MARK_B} Fresh Role",
            "salary_currency": "USD",
        },
    ),
    (
        "a job led by their hiring manager",
        lambda ours, extra: "/jobs/new",
        lambda rows, extra, mine: {
            "level_id": extra.job.level_id,
            "title": f"{MARK_B} Fresh Role",
            "salary_currency": "USD",
            "hiring_manager_id": rows.users[Role.HIRING_MANAGER].id,
        },
    ),
    (
        "a copy of their job's plan",
        lambda ours, extra: f"/jobs/{extra.job.id}/plan/copy",
        lambda rows, extra, mine: {"copy-source": rows.ids["job_id"][0], "copy-mode": "append"},
    ),
    (
        "their plan template",
        lambda ours, extra: f"/jobs/{extra.job.id}/plan/apply-template",
        lambda rows, extra, mine: {
            "template-source": rows.ids["template_id"][0],
            "template-mode": "append",
        },
    ),
    (
        "a stage assessing their skill",
        lambda ours, extra: f"/jobs/{extra.job.id}/plan/stages",
        lambda rows, extra, mine: {
            "stage_type": "live_coding",
            "name": f"{MARK_B} extra",
            "duration_minutes": "30",
            "panel_size": "1",
            "focus_skills": rows.ids["skill_id"][0],
        },
    ),
    (
        "a stage of their own stage type",
        lambda ours, extra: f"/jobs/{extra.job.id}/plan/stages",
        lambda rows, extra, mine: {
            "stage_type": f"{rows.team.slug.removesuffix('-labs')}_pairing",
            "name": f"{MARK_B} extra",
            "duration_minutes": "30",
            "panel_size": "1",
        },
    ),
    (
        "their interviewer on a panel",
        lambda ours, extra: (
            f"/applications/{extra.application.id}/stages/{extra.stage.id}/schedule"
        ),
        lambda rows, extra, mine: {**_when(extra), "panel": rows.users[Role.INTERVIEWER].id},
    ),
    (
        "their interviewer in a suggested slot",
        lambda ours, extra: (
            f"/applications/{extra.application.id}/stages/{extra.stage.id}/schedule"
        ),
        lambda rows, extra, mine: {
            "slot": _slot(extra, rows.users[Role.INTERVIEWER].id),
            "timezone": "UTC",
        },
    ),
    (
        "their interviewer on a rescheduled panel",
        lambda ours, extra: f"/interviews/{ours.ids['interview_id'][1]}/reschedule",
        lambda rows, extra, mine: {
            **_when(extra),
            "panel": rows.users[Role.INTERVIEWER].id,
            "reason": f"{MARK_B} moved",
        },
    ),
]


@pytest.mark.parametrize(
    ("path", "body"),
    [pytest.param(path, body, id=case) for case, path, body in FORMS_WITH_IDS],
)
def test_a_form_naming_another_teams_row_is_refused(
    app, client, db, auth, teams, extra, path, body
):
    """Team A's ids in the fields of team B's forms are refused, and nothing of team B's
    points at team A's afterwards; the same form with team B's own ids is accepted, so the
    refusal is about the id."""
    theirs, ours = teams
    auth.login(user=ours.users[Role.ADMIN])
    url = path(ours, extra)
    before = snapshot(db, theirs.team.id)

    refused = client.post(url, data=body(theirs, extra, False))

    found = leaks(refused.get_data(as_text=True), theirs)
    assert refused.status_code in (200, 400, 404), refused.status_code
    assert not found, found
    assert not changes(before, snapshot(db, theirs.team.id))
    assert not cross_team_references(db)
    own_before = snapshot(db, ours.team.id)
    accepted = client.post(url, data=body(ours, extra, True), follow_redirects=True)
    assert accepted.history and accepted.history[0].status_code == 302
    assert "alert-danger" not in accepted.get_data(as_text=True)
    assert changes(own_before, snapshot(db, ours.team.id)), "the accepted form saved nothing"
