"""What every page costs at demo size, and where the time goes: ``python -m tests.profile_pages``.

Builds (``--build``) or reuses a database holding the demo team (``flask db upgrade`` and
``flask seed-demo``), then serves the app with the production configuration (CSRF on, the
session cookie over plain HTTP, rate limits off unless ``--limits`` names a Redis) through the
test client, signed in as the bench's manager or interviewer, and prints for each page the
median of ``--runs`` requests, its SQL statements and, with ``--profile``, cProfile's top
functions by cumulative and by own time. With ``--wrk``, serves the app and hello world with
gunicorn (2 sync workers) and loads each page with wrk in turn with hello world, as
``tests/bench.py`` does on the large data set.

The machine may be shared: compare medians and statement counts, not single timings.

    python -m tests.profile_pages --database-url sqlite:///instance/profile.db --build
    python -m tests.profile_pages --database-url postgresql+psycopg://postgres@127.0.0.1/h \\
        --profile --pages jobs careers
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

#: The pages profiled, by their names in ``tests/bench_pages.PAGES``.
PAGES = (
    "jobs",
    "plan",
    "candidates",
    "debrief",
    "dashboard",
    "my interviews",
    "careers",
    "portal",
)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]*)"')


def production_env(url: str, limits: str | None) -> dict[str, str]:
    """What ``tests.bench_load.app_env`` gives gunicorn, for an app made in this process."""
    from tests import bench_load

    env = bench_load.app_env(url)
    env["ALLOW_SQLITE_IN_PRODUCTION"] = "1"
    if limits:
        env.update(RATELIMIT_ENABLED="1", RATELIMIT_STORAGE_URI=limits)
    return env


def make_app(url: str, limits: str | None, **overrides):
    """The production app on ``url``; the settings read when ``config`` was imported (the
    cookie's Secure flag, HSTS) are given as gunicorn's environment would give them."""
    os.environ.update(production_env(url, limits))
    from interviewer import create_app

    return create_app(
        "production",
        **{
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "HSTS_SECONDS": 0,
            **overrides,
        },
    )


def build(app) -> None:
    """A fresh schema and the demo data, as ``flask db upgrade`` and ``flask seed-demo``."""
    import flask_migrate

    from interviewer.extensions import db
    from interviewer.seed import seed_demo

    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade()
        seed_demo(db.session)
        db.session.commit()
        db.session.remove()


def sign_in(client, email: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = CSRF.search(page)
    data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
    # The test client speaks https (PREFERRED_URL_SCHEME), where Flask-WTF wants a referrer.
    answer = client.post("/login", data=data, headers={"Referer": "https://localhost/login"})
    if answer.status_code != 302:
        raise SystemExit(f"signing in as {email} answered {answer.status_code}")


def profile_pages(app, pages, emails, runs: int, profile: bool, top: int) -> list[tuple]:
    """(name, status, median ms, median CPU ms of this process, statements) of each page;
    with ``profile``, prints its cProfile tables."""
    from interviewer.extensions import db
    from interviewer.seed import DEMO_PASSWORD

    with app.app_context():
        engine = db.engine
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    clients: dict[str | None, object] = {}
    rows = []
    try:
        for page in pages:
            client = clients.get(page.who)
            if client is None:
                client = clients[page.who] = app.test_client()
                if page.who:
                    sign_in(client, emails[page.who], DEMO_PASSWORD)
            for _ in range(3):  # warm up: templates compiled, caches filled
                client.get(page.path)
            timings, cpu, counts = [], [], []
            profiler = cProfile.Profile() if profile else None
            for _ in range(runs):
                statements[0] = 0
                began, began_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                status = client.get(page.path).status_code
                if profiler:
                    profiler.disable()
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                counts.append(statements[0])
            median, median_cpu = statistics.median(timings), statistics.median(cpu)
            rows.append((page.name, status, median, median_cpu, max(counts)))
            if profiler:
                print(f"\n=== {page.name} {page.path} ({runs} requests)")
                for order in ("cumulative", "tottime"):
                    out = io.StringIO()
                    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
                    stats.print_stats(top)
                    print(_table_only(out.getvalue()))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return rows


def _table_only(report: str) -> str:
    """pstats' report without its header lines above the column names."""
    lines = report.splitlines()
    for number, line in enumerate(lines):
        if "ncalls" in line:
            return "\n".join(lines[number - 1 :]).rstrip()
    return report.rstrip()


def worker_cpu_seconds(master: int) -> float:
    """CPU time (user + system) of gunicorn's workers so far, children of ``master``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for child in children:
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def loaded(server, url: str, seconds: float, connections: int, cookie: str = ""):
    """One wrk run on ``url`` of ``server``, and the CPU milliseconds its workers spent per
    request: unlike requests per second, this hardly moves with what else the machine runs."""
    from tests import bench_load

    before = worker_cpu_seconds(server.process.pid)
    result = bench_load.wrk(url, seconds, connections, cookie)
    spent = worker_cpu_seconds(server.process.pid) - before
    return result, spent * 1000 / max(result.requests, 1)


def load(url: str, pages, emails, seconds: float, connections: int, log_dir: Path) -> list:
    """wrk on hello world, then on each page, under gunicorn: (name, page req/s, hello
    req/s, p50, p99, bad responses, page's worker CPU ms per request, hello's)."""
    from interviewer.seed import DEMO_PASSWORD
    from tests import bench_load

    log_dir.mkdir(parents=True, exist_ok=True)
    env = bench_load.app_env(url, ALLOW_SQLITE_IN_PRODUCTION="1")
    rows = []
    with contextlib.ExitStack() as stack:
        app = stack.enter_context(
            bench_load.Gunicorn("interviewer:create_app()", env, log_dir / "app.log", "/login")
        )
        hello = stack.enter_context(
            bench_load.Gunicorn("tests.bench_hello:app", env, log_dir / "hello.log")
        )
        browsers = {}
        for who in {page.who for page in pages if page.who}:
            browsers[who] = bench_load.Browser(app.url)
            browsers[who].sign_in(emails[who], DEMO_PASSWORD)
        for page in pages:
            cookie = ""
            if page.who:
                # As a browser would: the cookie the page itself sends back (with its CSRF
                # token and a recent idle clock), so that wrk's requests do not each re-sign it.
                browsers[page.who].get(page.path)
                cookie = browsers[page.who].cookie
            hello_load, hello_cpu = loaded(hello, hello.url + "/", seconds, connections)
            page_load, page_cpu = loaded(app, app.url + page.path, seconds, connections, cookie)
            bad = page_load.bad_responses + page_load.socket_errors
            rows.append(
                (
                    page.name,
                    page_load.requests_per_second,
                    hello_load.requests_per_second,
                    page_load.p50,
                    page_load.p99,
                    bad,
                    page_cpu,
                    hello_cpu,
                )
            )
            print(
                f"    {page.name}: {page_load.requests_per_second:.1f} req/s, hello "
                f"{hello_load.requests_per_second:.0f}, {bad} bad",
                flush=True,
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path('instance/profile.db').resolve()}",
        help="a database holding the demo team (default: instance/profile.db)",
    )
    parser.add_argument("--build", action="store_true", help="migrate and seed it first")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="pages by name")
    parser.add_argument("--runs", type=int, default=50, help="requests per page")
    parser.add_argument("--profile", action="store_true", help="print cProfile's tables")
    parser.add_argument("--top", type=int, default=30, help="functions per cProfile table")
    parser.add_argument("--limits", help="count rate limits in this Redis (redis://...)")
    parser.add_argument("--wrk", action="store_true", help="also load each page with wrk")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--log-dir", default="instance/profile", help="gunicorn's logs")
    args = parser.parse_args(argv)

    app = make_app(args.database_url, args.limits)
    if args.build:
        build(app)
    from interviewer.extensions import db
    from tests.bench_pages import find_pages

    with app.app_context():
        sites = find_pages(db.session)
        db.session.remove()
    by_name = {page.name: page for page in sites.pages}
    unknown = [name for name in args.pages if name not in by_name]
    if unknown:
        raise SystemExit(f"no such page: {', '.join(unknown)} (known: {', '.join(by_name)})")
    pages = [by_name[name] for name in args.pages]

    rows = profile_pages(app, pages, sites.emails, args.runs, args.profile, args.top)
    database = make_url(args.database_url)
    print(f"\n{database.get_backend_name()} {database.database}: {args.runs} requests per page")
    print(f"{'page':<16}{'status':>7}{'median ms':>11}{'CPU ms':>8}{'statements':>12}")
    for name, status, median, median_cpu, count in rows:
        print(f"{name:<16}{status:>7}{median:>11.2f}{median_cpu:>8.2f}{count:>12}")
    print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")

    if args.wrk:
        loads = load(
            args.database_url,
            pages,
            sites.emails,
            args.duration,
            args.connections,
            Path(args.log_dir),
        )
        print(f"\ngunicorn 2 sync workers, wrk {args.connections} connections, {args.duration:g} s")
        print("(CPU: the workers' CPU milliseconds per request, page and hello world)")
        print(
            f"{'page':<16}{'req/s':>9}{'hello':>9}{'share':>8}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'CPU':>7}{'hello':>7}"
        )
        for name, rate, hello, p50, p99, bad, cpu, hello_cpu in loads:
            share = rate / hello * 100 if hello else 0
            print(
                f"{name:<16}{rate:>9.1f}{hello:>9.0f}{share:>7.1f}%{p50 or 0:>9.1f}{p99 or 0:>9.1f}"
                f"{cpu:>7.2f}{hello_cpu:>7.2f}" + (f"  {bad} bad" if bad else "")
            )
        print(f"load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
