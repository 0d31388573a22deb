"""The load bench's arithmetic: wrk's ``--latency`` report read into numbers, the targets of
issue 16 checked on a page's results, and the table ``make bench`` prints.

Kept apart from the processes and databases so that ``tests/test_bench_wrk.py`` can run it on
canned wrk output in milliseconds.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field

WRK = "/usr/bin/wrk"
#: wrk's unit suffixes, in milliseconds.
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
#: Share of hello world's requests per second a signed-in page must reach, and a public one.
SIGNED_IN_SHARE = 0.05
PUBLIC_SHARE = 0.15
#: Slowest 1 % of requests under load, at most.
P99_MS = 250.0
#: A page's test-client median at the large size, at most this times its median at demo size.
GROWTH = 1.5
#: The reports' own test-client target at the large size.
REPORT_MS = 300.0
#: SQLite at 5,000 candidates: each page's test-client median, at most.
SQLITE_MS = 100.0

_DURATION = re.compile(r"^([\d.]+)(us|ms|s|m|h)$")
_PERCENTILE = re.compile(r"^\s*(50|75|90|99(?:\.\d+)?)%\s+(\S+)\s*$", re.MULTILINE)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+\w+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_STATUS = re.compile(r"^status (\d+): (\d+)$", re.MULTILINE)
#: Bench's own agent name: the app ties a session to its browser, so wrk sends the same one
#: as the sign-in did.
USER_AGENT = "interviewer-bench"
#: wrk counts a redirect (to the sign-in page, say) as a success; this script counts the
#: statuses, so that a page that does not answer 200 is seen.
STATUS_SCRIPT = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) statuses = {} end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\\n", status, n)) end
end
"""
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def wrk_path() -> str:
    """Where wrk is; stops the bench with how to install it when it is missing."""
    found = shutil.which("wrk") or (WRK if shutil.which(WRK) else None)
    if found is None:
        raise SystemExit("the load bench needs wrk: apt install wrk")
    return found


def wrk_command(
    url: str, seconds: float, connections: int = 16, cookie: str = "", script: str = ""
) -> list[str]:
    """wrk on ``url`` for ``seconds`` with ``connections`` open at once, the cookie sent,
    ``script`` (a file holding ``STATUS_SCRIPT``) counting the statuses."""
    command = [
        wrk_path(),
        *("--threads", "2", "--connections", str(connections)),
        *("--duration", f"{max(1, round(seconds))}s", "--timeout", "60s", "--latency"),
        *("--header", f"User-Agent: {USER_AGENT}"),
    ]
    if script:
        command += ["--script", script]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    return [*command, url]


def milliseconds(text: str) -> float:
    """``"1.25ms"``, ``"830.00us"``, ``"2.01s"`` in milliseconds."""
    found = _DURATION.match(text.strip())
    if found is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found.group(1)) * UNITS[found.group(2)]


@dataclass
class Load:
    """What one wrk run measured."""

    requests_per_second: float
    requests: int
    #: Latency percentiles in milliseconds; ``None`` when no request finished.
    p50: float | None
    p99: float | None
    #: Responses other than 200 (with the status script; else those of 400 or more), and
    #: connection errors (timeouts included).
    bad_responses: int = 0
    socket_errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def parse_wrk(output: str) -> Load:
    """Read wrk's ``--latency`` report; ``ValueError`` when it is not one."""
    rate = _RATE.search(output)
    if rate is None:
        raise ValueError(f"no Requests/sec in wrk's output:\n{output}")
    total = _TOTAL.search(output)
    percentiles = {key: milliseconds(value) for key, value in _PERCENTILE.findall(output)}
    non_2xx = _NON_2XX.search(output)
    sockets = _SOCKET.search(output)
    requests = int(total.group(1)) if total else 0
    statuses = {int(status): int(n) for status, n in _STATUS.findall(output)}
    if statuses:
        bad = sum(n for status, n in statuses.items() if status != 200)
    else:
        bad = int(non_2xx.group(1)) if non_2xx else 0
    return Load(
        requests_per_second=float(rate.group(1)),
        requests=requests,
        p50=percentiles.get("50") if requests else None,
        p99=percentiles.get("99") if requests else None,
        bad_responses=bad,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        statuses=statuses,
    )


@dataclass
class PageResult:
    """Everything the bench learnt about one page."""

    name: str
    #: ``signed_in``, ``public`` or ``report`` (a signed-in page with the reports' target too).
    kind: str = "signed_in"
    load: Load | None = None
    hello: Load | None = None
    queries_demo: int | None = None
    queries_large: int | None = None
    median_demo: float | None = None
    median_large: float | None = None
    #: The test-client median at the large size with nothing kept (a page kept rendered,
    #: such as a report, then costs what it does after a change); ``None`` when not timed.
    rendered_large: float | None = None
    missed: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.load is None or self.hello is None or not self.hello.requests_per_second:
            return None
        return self.load.requests_per_second / self.hello.requests_per_second


def check_targets(result: PageResult) -> list[str]:
    """The targets of issue 16 that ``result`` misses, each in a few words (also kept on it)."""
    missed = []
    share = PUBLIC_SHARE if result.kind == "public" else SIGNED_IN_SHARE
    if result.load is not None:
        ratio = result.ratio
        if ratio is None or ratio < share:
            missed.append(f"share<{share:.0%}")
        if result.load.p99 is None or result.load.p99 >= P99_MS:
            missed.append(f"p99>={P99_MS:.0f}ms")
        if result.load.bad_responses:
            missed.append("not 200")
        if result.load.socket_errors:
            missed.append("socket errors")
    demo, large = result.median_demo, result.median_large
    if None not in (result.queries_demo, result.queries_large) and (
        result.queries_demo != result.queries_large
    ):
        missed.append("queries grow")
    if demo is not None and large is not None and large > GROWTH * demo:
        missed.append(f"median>{GROWTH}x")
    # The reports' own target is what a report costs to work out, kept or not.
    worked_out = result.rendered_large if result.rendered_large is not None else large
    if result.kind == "report" and worked_out is not None and worked_out > REPORT_MS:
        missed.append(f"median>{REPORT_MS:.0f}ms")
    result.missed = missed
    return missed


def check_sqlite(result: PageResult) -> list[str]:
    """SQLite's target: the test-client median at 5,000 candidates under 100 ms."""
    result.missed = []
    if result.median_large is None or result.median_large >= SQLITE_MS:
        result.missed.append(f"median>={SQLITE_MS:.0f}ms")
    if result.queries_demo is not None and result.queries_demo != result.queries_large:
        result.missed.append("queries grow")
    return result.missed


def _number(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _pair(demo: float | None, large: float | None, fmt: str) -> str:
    return f"{_number(demo, fmt)}/{_number(large, fmt)}"


def table(results: list[PageResult], load: bool = True) -> str:
    """One line per page: load, hello world's, the ratio, latencies, queries, medians, misses
    (``load=False``: the test client's columns only)."""
    header = f"{'page':<16}"
    if load:
        header += f"{'req/s':>8}{'hello':>8}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}"
    header += f"{'queries d/l':>13}{'median ms d/l':>16}{'unkept ms':>11}  verdict"
    lines = [header, "-" * len(header)]
    for result in results:
        line = f"{result.name:<16}"
        if load:
            run, hello, ratio = result.load, result.hello, result.ratio
            line += (
                f"{_number(run and run.requests_per_second, '.1f'):>8}"
                f"{_number(hello and hello.requests_per_second, '.0f'):>8}"
                f"{'-' if ratio is None else f'{ratio:.1%}':>8}"
                f"{_number(run and run.p50, '.0f'):>9}"
                f"{_number(run and run.p99, '.0f'):>9}"
            )
        line += (
            f"{_pair(result.queries_demo, result.queries_large, 'd'):>13}"
            f"{_pair(result.median_demo, result.median_large, '.1f'):>16}"
            f"{_number(result.rendered_large, '.1f'):>11}"
            f"  {'MISS ' + ', '.join(result.missed) if result.missed else 'ok'}"
        )
        lines.append(line)
    return "\n".join(lines)
