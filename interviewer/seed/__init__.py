"""``flask seed-demo``: one demo team with people, a competency matrix, jobs and candidates.

The data lives in the ``*_data`` modules; ``setup`` builds the team, people, catalogue and
jobs, ``pipeline`` the candidates with their interviews, moves and decisions, ``scorecards``
the panel's scorecards, ``careers`` the applications that came in through the careers
page, ``history`` six months of past applications for the reports. Every row of the
current demo goes through the service the app uses for it, so the demo obeys the app's
rules and leaves the audit trail the app would; only what no service sets (the team
itself, a story's past dates) is set directly. The history is written in bulk, with the
same rows and audit events, so that the command stays quick. Everything is added in the caller's
transaction (flushed, never committed), and nothing happens when the demo team already
exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer.auth.models import Team
from interviewer.candidates.models import Application, ApplicationStatus, Candidate
from interviewer.candidates.portal_links import portal_url
from interviewer.db import utcnow
from interviewer.plans.models import Job
from interviewer.seed import branding, careers, history, limits, offers, pipeline, pools, setup
from interviewer.seed.catalog_data import TEAM, USERS
from interviewer.seed.jobs_data import JOBS
from interviewer.seed.pipeline_data import CANDIDATES
from interviewer.urls import link_to

#: Password of every demo user.
DEMO_PASSWORD = "acme-demo-2024"
#: The candidate whose portal link is printed, and the job: two steps done, the next booked.
PORTAL_CANDIDATE = ("hannah", "junior")
#: What Kenji's Senior debrief says of his level (tests hold it to the debrief page).
KENJI_LEVEL_FIT = "Meets Middle; below Senior in Caching & performance and System design."


@dataclass
class SeedResult:
    """What ``seed_demo`` did, for the command to print."""

    created: bool
    #: (role label, email) of each demo user.
    logins: list[tuple[str, str]]
    extra_lines: list[str] = field(default_factory=list)


def demo_logins() -> list[tuple[str, str]]:
    """Role label and email of each demo user, admin first."""
    return [(role.label, email) for _key, _name, email, role, _tz, _interviews in USERS]


def seed_demo(session: Session, now: datetime | None = None) -> SeedResult:
    """Add the demo team and everything in it, unless a team with its slug exists.

    ``now`` anchors every date (postings, interviews, scorecards); it defaults to the
    current time, so past and upcoming interviews stay past and upcoming.
    """
    team = session.scalar(select(Team).where(Team.slug == TEAM["slug"]))
    if team is not None:
        return SeedResult(created=False, logins=demo_logins(), extra_lines=_footer(session, team))
    demo = setup.build(session, now or utcnow(), DEMO_PASSWORD)
    limits.build(demo)
    pipeline.build(demo)
    # The CVs go to the app's storage and the emails carry links signed with its key.
    if has_app_context():
        careers.build(demo)
    history.build(demo)
    branding.build(demo)
    offers.build(demo)
    pools.build(demo)
    session.flush()
    return SeedResult(created=True, logins=demo_logins(), extra_lines=_footer(session, demo.team))


def _footer(session: Session, team: Team) -> list[str]:
    sign_in = link_to("auth.login", external=True, public=True) if has_app_context() else "/login"
    lines = [
        "",
        f"Team: {team.name} (slug {team.slug}). Sign in at {sign_in}",
        "Try the Senior Backend Developer debrief of Kenji Watanabe: the panel is split on "
        f'System design, and the level fit reads "{KENJI_LEVEL_FIT}"',
        *history.summary(),
    ]
    application = portal_application(session, team)
    # The link is signed with the app's secret key, so it needs the app.
    if application is not None and has_app_context():
        lines += [
            "",
            f"{application.candidate.name}'s candidate portal ({application.job.title}), "
            "no sign-in needed:",
            f"  {portal_url(application, external=True)}",
        ]
    return lines


def portal_application(session: Session, team: Team) -> Application | None:
    """The demo application whose portal link is printed: active, with an interview ahead."""
    candidate_key, job_key = PORTAL_CANDIDATE
    name = next(name for key, name, *_rest in CANDIDATES if key == candidate_key)
    title = next(spec["title"] for spec in JOBS if spec["key"] == job_key)
    return session.scalar(
        select(Application)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .join(Job, Job.id == Application.job_id)
        .where(
            Application.team_id == team.id,
            Application.status == ApplicationStatus.ACTIVE,
            Candidate.name == name,
            Job.title == title,
        )
    )
