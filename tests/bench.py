"""The load bench of issue 16: ``make bench``.

With ``BENCH_DATABASE_URL`` naming PostgreSQL: builds the large data set there (50,000
candidates, 200,000 interviews, 600,000 ratings, a board of 2,000 applications, 10,000
pending emails: ``tests/bench_data.py``) and the demo data in a second database (the same
name + ``_demo``, created when missing); serves the app and a hello-world Flask app with
gunicorn (2 sync workers, production settings, rate limits off) and loads each page with wrk
(16 connections) in turn with hello world; counts each page's SQL statements and times it
through the test client at both sizes; then starts two app processes on one PostgreSQL and
Redis and checks that they behave as one. Without it (or with ``--sqlite``): 5,000
candidates on SQLite, each page's median in one process.

Prints one table and exits non-zero when a page misses a target or a check fails.
``--reuse`` keeps a database that already holds the data set (a re-run takes seconds, not
minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from interviewer import ROOT, create_app
from interviewer.auth.models import Team, User
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.seed import DEMO_PASSWORD, seed_demo
from tests import bench_data, bench_load, bench_loops, bench_wrk
from tests.bench_pages import TEAM, Sites, find_pages, measure_in_process
from tests.bench_wrk import PageResult, check_sqlite, check_targets, table, wrk_path

SQLITE_CANDIDATES = 5_000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


class Clock:
    """Where the bench's time goes, phase by phase."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        print(f"... {name}", flush=True)
        began = time.perf_counter()
        try:
            yield
        finally:
            self.phases.append((name, time.perf_counter() - began))

    def report(self) -> str:
        total = sum(seconds for _, seconds in self.phases)
        lines = [f"  {name:<56}{seconds:>8.1f} s" for name, seconds in self.phases]
        return "\n".join(["where the time went:", *lines, f"  {'total':<56}{total:>8.1f} s"])


def prepare(url: str, candidates: int | None, reuse: bool, clock: Clock):
    """An app on ``url`` holding the demo team and, with ``candidates``, the large data set;
    kept as it is with ``reuse`` when it already holds them (migrations still run)."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        RATELIMIT_ENABLED=False,
        SECRET_KEY=bench_load.SECRET_KEY,
    )
    label = make_url(url).database
    with app.app_context():
        team = _team() if reuse else None
        complete = team is not None and (
            candidates is None or bench_data.has_large(db.session, team, candidates)
        )
        base = team is not None and bench_data.has_base(db.session, team, candidates)
        # End the read, or on SQLite the migrations wait for this session's lock.
        db.session.remove()
        if complete:
            with clock.phase(f"migrate {label} (reused)"):
                flask_migrate.upgrade()
            return app
        if base:
            with clock.phase(f"add the load bench's extras to {label}"):
                flask_migrate.upgrade()
                team = _team()
                counts = bench_data.build_load_extras(db.session, team, utcnow(), candidates)
                db.session.commit()
                print("\n".join(bench_data.describe(counts)))
                _vacuum()
            return app
        with clock.phase(f"build {label} ({candidates or 'demo'} candidates)"):
            db.session.remove()
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            flask_migrate.upgrade()
            seed_demo(db.session)
            team = _team()
            if candidates:
                now = utcnow()
                counts = bench_data.build_large(db.session, team, now, candidates)
                counts.rows.update(
                    bench_data.build_load_extras(db.session, team, now, candidates).rows
                )
                print("\n".join(bench_data.describe(counts)))
            db.session.commit()
            _vacuum()
    return app


def _team() -> Team | None:
    try:
        return db.session.scalar(select(Team).where(Team.slug == TEAM))
    except Exception:  # no schema yet
        db.session.rollback()
        return None


def _vacuum() -> None:
    """What autovacuum does on a live database soon after a bulk load: statistics for the
    planner and the visibility map that index-only scans need (SQLite: ANALYZE)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))


def demo_url(url: str) -> str:
    """The demo database next to ``url`` (its name + ``_demo``), created when missing."""
    parsed = make_url(url)
    name = f"{parsed.database}_demo"
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def pages_of(app) -> Sites:
    with app.app_context():
        sites = find_pages(db.session)
        db.session.remove()
    return sites


def in_process(app_demo, app_large, sites_demo, sites_large, args, clock) -> list[PageResult]:
    """The test-client medians and statement counts of each page at both sizes."""
    with clock.phase("time each page in one process, demo size"):
        demo = measure_in_process(app_demo, sites_demo, args.runs, 10, args.only)
    with clock.phase("time each page in one process, large size"):
        large = measure_in_process(app_large, sites_large, args.runs, 20, args.only, unkept=True)
    results = []
    for page in sites_large.pages:
        if page.name not in large:
            continue
        result = PageResult(page.name, page.kind)
        for timing, size in ((demo.get(page.name), "demo"), (large[page.name], "large")):
            if timing is None:
                continue
            if timing.status != 200:
                print(f"!! {page.name} at {size} size answered {timing.status}")
            setattr(result, f"queries_{size}", timing.statements)
            setattr(result, f"median_{size}", timing.median)
        result.rendered_large = large[page.name].rendered
        results.append(result)
    return results


def sqlite_bench(args, clock: Clock) -> int:
    """5,000 candidates on SQLite: each page under 100 ms median in one process."""
    folder = Path(args.sqlite_dir)
    folder.mkdir(parents=True, exist_ok=True)
    large_url = f"sqlite:///{folder / f'bench-{SQLITE_CANDIDATES}.db'}"
    small_url = f"sqlite:///{folder / 'bench-demo.db'}"
    app_large = prepare(large_url, SQLITE_CANDIDATES, args.reuse, clock)
    app_demo = prepare(small_url, None, args.reuse, clock)
    sites_large, sites_demo = pages_of(app_large), pages_of(app_demo)
    results = in_process(app_demo, app_large, sites_demo, sites_large, args, clock)
    for result in results:
        check_sqlite(result)
    print(f"\nSQLite, {SQLITE_CANDIDATES:,} candidates, one process (target: median < 100 ms)")
    print(table(results, load=False))
    print(clock.report())
    missed = [result.name for result in results if result.missed]
    print(f"\n{len(missed)} of {len(results)} pages miss a target" if missed else "\nall ok")
    return 1 if missed else 0


def postgres_bench(url: str, args, clock: Clock) -> int:
    wrk_path()
    app_large = prepare(url, bench_data.CANDIDATES, args.reuse, clock)
    app_demo = prepare(demo_url(url), None, args.reuse, clock)
    sites_large, sites_demo = pages_of(app_large), pages_of(app_demo)
    results = in_process(app_demo, app_large, sites_demo, sites_large, args, clock)
    if not args.no_load:
        load_pages(url, sites_large, results, args, clock)
    for result in results:
        check_targets(result)
    checks = [] if args.no_two else two_processes(url, app_large, sites_large, args, clock)
    print(
        f"\nPostgreSQL, {bench_data.CANDIDATES:,} candidates; gunicorn {bench_load.WORKERS} sync "
        f"workers; wrk {args.connections} connections, {args.duration:g} s per run, hello "
        "world and the page in turn"
    )
    print(
        "targets: signed-in >= 5% of hello world, portal/careers >= 15%, p99 < 250 ms, "
        "queries demo = large, median large <= 1.5x demo, reports' median <= 300 ms"
    )
    print(table(results))
    for check in checks:
        print(f"{'ok  ' if check.holds else 'FAIL'} {check.name}: {check.detail}")
    print(clock.report())
    missed = [result.name for result in results if result.missed]
    failed = [check.name for check in checks if not check.holds]
    if missed or failed:
        print(f"\n{len(missed)} of {len(results)} pages miss a target; {len(failed)} checks fail")
        return 1
    print("\nall targets met")
    return 0


def load_pages(url: str, sites: Sites, results: list[PageResult], args, clock: Clock) -> None:
    """wrk on hello world, then on the page, for each page, on one pair of servers."""
    logs = Path(args.log_dir)
    logs.mkdir(parents=True, exist_ok=True)
    by_name = {result.name: result for result in results}
    with contextlib.ExitStack() as stack:
        with clock.phase("start gunicorn: the app and hello world"):
            env = bench_load.app_env(url)
            app = stack.enter_context(
                bench_load.Gunicorn("interviewer:create_app()", env, logs / "app.log", "/login")
            )
            hello = stack.enter_context(
                bench_load.Gunicorn("tests.bench_hello:app", env, logs / "hello.log")
            )
            cookies = {None: ""}
            browsers = {}
            for who in {page.who for page in sites.pages if page.who}:
                browsers[who] = bench_load.Browser(app.url)
                browsers[who].sign_in(sites.emails[who], DEMO_PASSWORD)
        for page in sites.pages:
            result = by_name.get(page.name)
            if result is None:
                continue
            if page.who:
                # As a browser would: the cookie the page itself sends back (with its CSRF
                # token and a recent idle clock), so that wrk's requests do not each re-sign it.
                browsers[page.who].get(page.path)
                cookies[page.who] = browsers[page.who].cookie
            with clock.phase(f"wrk {page.name}"):
                answer = _get_with_cookie(app.url + page.path, cookies[page.who])
                if answer != 200:
                    print(f"!! {page.name} answered {answer} on gunicorn; loading it anyway")
                result.hello = bench_load.wrk(hello.url + "/", args.duration, args.connections)
                result.load = bench_load.wrk(
                    app.url + page.path, args.duration, args.connections, cookies[page.who]
                )
                # Requests wrk left queued keep the workers busy after it stops: let them
                # finish before hello world and the next page are measured.
                _get_with_cookie(app.url + "/healthz", "")
                statuses = ", ".join(f"{s}: {n}" for s, n in sorted(result.load.statuses.items()))
                print(
                    f"    {result.load.requests_per_second:.1f} req/s "
                    f"(hello {result.hello.requests_per_second:.0f}); statuses {statuses}",
                    flush=True,
                )
        print("worker memory after the load:", _worker_memory(app.process.pid))


def _get_with_cookie(url: str, cookie: str) -> int:
    """The status of ``url`` opened with ``cookie``: the page must answer before it is loaded."""
    headers = {"User-Agent": bench_wrk.USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(bench_load._Stay())
    try:
        with opener.open(request, timeout=300) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _worker_memory(master: int) -> str:
    """Resident memory of gunicorn's workers (children of ``master``), from /proc."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        sizes = []
        for child in children:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(f"{int(line.split()[1]) // 1024} MB")
        return ", ".join(sizes) or "unknown"
    except OSError:
        return "unknown"


def two_processes(url: str, app, sites: Sites, args, clock: Clock) -> list[bench_load.Check]:
    """Two app processes on one PostgreSQL and Redis: sessions, rate limits, bookings."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except Exception as error:
        return [bench_load.Check("Redis answers", False, f"{REDIS_URL}: {error}")]
    env = bench_load.app_env(
        url, RATELIMIT_ENABLED="1", RATELIMIT_STORAGE_URI=REDIS_URL, REDIS_URL=REDIS_URL
    )
    logs = Path(args.log_dir)
    with contextlib.ExitStack() as stack:
        with clock.phase("start two app processes on one PostgreSQL and Redis"):
            a = stack.enter_context(
                bench_load.Gunicorn("interviewer:create_app()", env, logs / "a.log", "/login")
            )
            b = stack.enter_context(
                bench_load.Gunicorn("interviewer:create_app()", env, logs / "b.log", "/login")
            )
        with clock.phase("check that they behave as one"):
            manager = (sites.emails["manager"], DEMO_PASSWORD)
            checks = [
                bench_load.session_check(a.url, b.url, *manager),
                bench_load.rate_limit_check(a.url, b.url),
            ]
            with app.app_context():
                heavy = db.session.scalar(
                    select(User.id).where(User.email == sites.emails["interviewer"])
                )
                checks.append(
                    bench_load.booking_check(
                        a.url, b.url, db.session, manager, heavy, sites.first_stage
                    )
                )
                db.session.remove()
    return checks


#: The name that ``--only`` gives the loop search bench (``tests/bench_loops.py``).
LOOPS = "loops"


def _pages_bench(url: str, args, clock: Clock) -> int:
    if args.sqlite or not url.startswith("postgresql"):
        if not args.sqlite:
            print("BENCH_DATABASE_URL is not PostgreSQL: the SQLite part only")
        return sqlite_bench(args, clock)
    return postgres_bench(url, args, clock)


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="the SQLite part only")
    parser.add_argument(
        "--reuse",
        action="store_true",
        default=os.environ.get("BENCH_REUSE") == "1",
        help="keep a database that already holds the data set (BENCH_REUSE=1)",
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--runs", type=int, default=51, help="test-client requests per page")
    parser.add_argument(
        "--only", nargs="*", help="these pages only (by name); 'loops': the loop search bench"
    )
    parser.add_argument("--no-load", action="store_true", help="skip wrk")
    parser.add_argument("--no-two", action="store_true", help="skip the two-process checks")
    parser.add_argument("--log-dir", default=str(ROOT / "instance" / "bench"), help="servers' logs")
    parser.add_argument("--sqlite-dir", default=str(ROOT / "instance" / "bench"))
    args = parser.parse_args(argv)
    args.only = set(args.only) if args.only else None
    # SIGTERM unwinds like Ctrl+C, so the servers are stopped either way (SIGINT too when
    # the bench was started in the background, which ignores it).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    clock = Clock()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    try:
        status = 0
        if args.only != {LOOPS}:
            status = _pages_bench(url, args, clock)
        if args.only is None or LOOPS in args.only:
            status = max(status, bench_loops.run())
        return status
    except KeyboardInterrupt:
        print("\ninterrupted; the servers are stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
