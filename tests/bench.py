"""Time the busiest pages on a larger team than the demo: ``make bench``.

Builds a temporary SQLite database (or uses ``BENCH_DATABASE_URL``, which it empties),
loads the demo team plus extra jobs, candidates and interviews, then requests each page
through the test client and prints the median and 95th percentile against its target.
Exits non-zero when a page misses its target, so it can gate a release.

``--large`` (or ``BENCH_SIZE=large``) loads instead three years of a big team's hiring
(``tests/bench_data.py``: 50,000 candidates, 200,000 interviews, 600,000 ratings), the
size the reports must stay fast on; meant for PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import select, text
from werkzeug.exceptions import MethodNotAllowed, NotFound

from interviewer import create_app
from interviewer.auth.models import Role, Team, User
from interviewer.candidates.models import Application, Candidate
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.models import Job
from interviewer.scheduling.models import Interview, PanelMember
from interviewer.seed import DEMO_PASSWORD, seed_demo
from tests import bench_data

#: (name, path, role, target median in milliseconds)
PAGES = [
    ("dashboard", "/dashboard", Role.HIRING_MANAGER, 150),
    ("jobs", "/jobs", Role.HIRING_MANAGER, 100),
    ("candidates", "/candidates/", Role.HIRING_MANAGER, 150),
    ("board", "/jobs/{job}/board", Role.HIRING_MANAGER, 250),
    ("plan", "/jobs/{job}/plan", Role.HIRING_MANAGER, 250),
    ("debrief", "/applications/{application}/debrief", Role.HIRING_MANAGER, 300),
    ("my interviews", "/my-interviews", Role.INTERVIEWER, 150),
    ("careers", "/careers/acme/{job_slug}", None, 150),
    ("funnel", "/reports/funnel", Role.HIRING_MANAGER, 300),
    ("funnel 3 years", "/reports/funnel?from={three_years_ago}", Role.HIRING_MANAGER, 300),
    ("speed", "/reports/speed", Role.HIRING_MANAGER, 300),
    ("load", "/reports/load", Role.HIRING_MANAGER, 300),
    ("calibration", "/reports/calibration", Role.HIRING_MANAGER, 300),
    ("reliability", "/reports/reliability", Role.HIRING_MANAGER, 300),
    ("fairness", "/reports/fairness", Role.ADMIN, 300),
    ("fairness 3 years", "/reports/fairness?from={three_years_ago}", Role.ADMIN, 300),
]


def grow(team: Team, copies: int) -> None:
    """Add ``copies`` candidates per open job, each with a past interview on the job's first
    stage, so lists and boards have real weight."""
    jobs = db.session.scalars(select(Job).where(Job.team_id == team.id)).all()
    panel = db.session.scalars(
        select(User).where(User.team_id == team.id, User.role == Role.INTERVIEWER)
    ).all()
    start = utcnow() - timedelta(days=60)
    for job in jobs:
        if not job.stages:
            continue
        for n in range(copies):
            candidate = Candidate(
                team_id=team.id,
                name=f"Bench Candidate {job.id}-{n}",
                email=f"bench-{job.id}-{n}@example.org",
            )
            application = Application(
                team_id=team.id, candidate=candidate, job=job, current_stage=job.stages[0]
            )
            begins = start + timedelta(hours=3 * n)
            interview = Interview(
                team_id=team.id,
                application=application,
                plan_stage=job.stages[0],
                starts_at=begins,
                ends_at=begins + timedelta(minutes=45),
            )
            interview.panel.append(PanelMember(team_id=team.id, user=panel[n % len(panel)]))
            db.session.add_all([candidate, application, interview])
    db.session.flush()


def exists(app, path: str) -> bool:
    """Whether the app has a page at ``path`` (a report not built yet is skipped)."""
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?", 1)[0], method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    return True


def measure(client, path: str, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="extra candidates per job")
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument(
        "--large",
        action="store_true",
        default=os.environ.get("BENCH_SIZE") == "large",
        help="three years of a big team (50,000 candidates) instead of --copies",
    )
    args = parser.parse_args(argv)

    url = os.environ.get("BENCH_DATABASE_URL")
    folder = tempfile.TemporaryDirectory()
    url = url or f"sqlite:///{Path(folder.name) / 'bench.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, RATELIMIT_ENABLED=False)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade()
        seed_demo(db.session)
        team = db.session.scalar(select(Team).where(Team.slug == "acme"))
        began = time.perf_counter()
        if args.large:
            counts = bench_data.build_large(db.session, team, utcnow())
        else:
            grow(team, args.copies)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does on a live database soon after a bulk load: statistics for
            # the planner and the visibility map that index-only scans need.
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE")
                )
        if args.large:
            print(f"built the large data set in {time.perf_counter() - began:.0f} s:")
            print("\n".join(bench_data.describe(counts)))
        job = db.session.scalar(
            select(Job).where(Job.team_id == team.id, Job.title == "Backend Developer")
        )
        application = db.session.scalar(
            select(Application).where(Application.job_id == job.id).limit(1)
        )
        values = {
            "job": job.id,
            "job_slug": job.slug,
            "application": application.id,
            "three_years_ago": (utcnow() - timedelta(days=365 * 3)).date().isoformat(),
        }
        emails = {
            role: db.session.scalar(
                select(User.email).where(User.team_id == team.id, User.role == role).limit(1)
            )
            for role in (Role.ADMIN, Role.HIRING_MANAGER, Role.INTERVIEWER)
        }

    failures = 0
    print(f"{'page':<17}{'median':>10}{'p95':>10}{'target':>10}")
    for name, pattern, role, target in PAGES:
        path = pattern.format(**values)
        if not exists(app, path):
            print(f"{name:<17}{'(no such page yet)':>30}")
            continue
        client = app.test_client()
        if role is not None:
            client.post("/login", data={"email": emails[role], "password": DEMO_PASSWORD})
        timings = measure(client, path, args.runs)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        verdict = "ok" if median <= target else "SLOW"
        failures += verdict != "ok"
        print(f"{name:<17}{median:>8.1f}ms{p95:>8.1f}ms{target:>8}ms  {verdict}")
    folder.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
