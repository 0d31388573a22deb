"""The load bench reads wrk's report and judges pages right (``make bench`` relies on it)."""

from __future__ import annotations

import pytest

from tests import bench_wrk
from tests.bench_hello import app as hello_app
from tests.bench_wrk import Load, PageResult, check_sqlite, check_targets, parse_wrk, table

#: wrk 4.1's report of a fast run, every response a 404.
FAST = """\
Running 1s test @ http://127.0.0.1:18765/nothing
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.35ms    2.07ms  16.36ms   76.35%
    Req/Sec     1.35k   201.47     1.59k    72.73%
  Latency Distribution
     50%    3.66ms
     75%    5.51ms
     90%    7.16ms
     99%   11.12ms
  1480 requests in 1.10s, 751.74KB read
  Non-2xx or 3xx responses: 1480
Requests/sec:   1345.39
Transfer/sec:    683.37KB
"""

#: A slow page: latencies in seconds, some connections timed out.
SLOW = """\
Running 10s test @ http://127.0.0.1:40000/dashboard
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.71s   410.20ms   4.40s    70.00%
    Req/Sec     0.00      0.00     0.00    100.00%
  Latency Distribution
     50%    2.70s
     75%    3.01s
     90%    3.90s
     99%    4.40s
  45 requests in 10.02s, 3.10MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
Requests/sec:      4.49
Transfer/sec:    316.80KB
"""

#: Nothing finished within the run.
NONE_FINISHED = """\
Running 3s test @ http://127.0.0.1:40000/dashboard
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 3.00s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0B
"""


def test_wrk_report_is_read_into_rate_percentiles_and_errors():
    fast = parse_wrk(FAST)
    assert fast.requests_per_second == 1345.39
    assert fast.requests == 1480
    assert (fast.p50, fast.p99) == (3.66, 11.12)
    assert fast.bad_responses == 1480

    slow = parse_wrk(SLOW)
    assert (slow.requests_per_second, slow.p50, slow.p99) == (4.49, 2700.0, 4400.0)
    assert slow.socket_errors == 2 and slow.bad_responses == 0
    assert check_targets(PageResult("slow", load=slow, hello=slow)) == [
        "p99>=250ms",
        "socket errors",
    ]


def test_statuses_counted_by_the_script_make_redirects_visible():
    redirected = parse_wrk(
        FAST.replace("  Non-2xx or 3xx responses: 1480\n", "") + "status 302: 1480\n"
    )
    assert redirected.statuses == {302: 1480}
    assert redirected.bad_responses == 1480
    mixed = parse_wrk(SLOW + "status 200: 44\nstatus 500: 1\n")
    assert (mixed.statuses, mixed.bad_responses) == ({200: 44, 500: 1}, 1)
    result = _result()
    result.load = mixed
    assert "not 200" in check_targets(result)


def test_wrk_is_told_the_bench_agent_the_cookie_and_the_script(monkeypatch):
    monkeypatch.setattr(bench_wrk.shutil, "which", lambda name: f"/usr/bin/{name}")
    command = bench_wrk.wrk_command("http://127.0.0.1:1/jobs", 3, 16, "session=abc", "s.lua")
    assert command[0] == "/usr/bin/wrk" and command[-1] == "http://127.0.0.1:1/jobs"
    assert "Cookie: session=abc" in command and f"User-Agent: {bench_wrk.USER_AGENT}" in command
    assert command[command.index("--script") + 1] == "s.lua"
    assert command[command.index("--connections") + 1] == "16"


def test_a_run_where_nothing_finished_has_no_latencies():
    nothing = parse_wrk(NONE_FINISHED)
    assert nothing.requests_per_second == 0
    assert nothing.p50 is None and nothing.p99 is None


def test_output_that_is_not_a_wrk_report_is_refused():
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("wrk: command not found\n")
    assert bench_wrk.milliseconds("830.00us") == pytest.approx(0.83)
    with pytest.raises(ValueError):
        bench_wrk.milliseconds("fast")


def _result(kind="signed_in", rate=100.0, p99=100.0, queries=(7, 7), medians=(10.0, 12.0)):
    return PageResult(
        "page",
        kind,
        load=Load(rate, int(rate * 10), p99 / 2, p99),
        hello=Load(1000.0, 10000, 1.0, 5.0),
        queries_demo=queries[0],
        queries_large=queries[1],
        median_demo=medians[0],
        median_large=medians[1],
    )


def test_a_page_that_meets_every_target_passes():
    assert check_targets(_result()) == []
    assert check_targets(_result(kind="public", rate=150.0)) == []


def test_each_missed_target_is_named():
    assert check_targets(_result(rate=40.0)) == ["share<5%"]
    assert check_targets(_result(kind="public", rate=100.0)) == ["share<15%"]
    assert check_targets(_result(p99=250.0)) == ["p99>=250ms"]
    assert check_targets(_result(queries=(7, 9))) == ["queries grow"]
    assert check_targets(_result(medians=(10.0, 16.0))) == ["median>1.5x"]
    assert check_targets(_result(kind="report", medians=(250.0, 310.0))) == ["median>300ms"]
    kept = _result(kind="report", medians=(10.0, 12.0))
    kept.rendered_large = 310.0
    assert check_targets(kept) == ["median>300ms"]


def test_a_page_that_finished_nothing_under_load_misses():
    result = _result()
    result.load = parse_wrk(NONE_FINISHED)
    assert check_targets(result) == ["share<5%", "p99>=250ms"]


def test_sqlite_pages_are_judged_by_their_median_alone():
    fast, slow = _result(medians=(10.0, 99.0)), _result(medians=(10.0, 100.0))
    assert check_sqlite(fast) == []
    assert check_sqlite(slow) == ["median>=100ms"]


def test_the_table_shows_every_column_and_marks_misses():
    passing, missing = _result(), _result(rate=4.49)
    missing.name = "dashboard"
    check_targets(passing), check_targets(missing)
    lines = table([passing, missing]).splitlines()
    assert lines[0].split()[:6] == ["page", "req/s", "hello", "ratio", "p50", "ms"]
    assert lines[2].split() == [
        "page",
        "100.0",
        "1000",
        "10.0%",
        "50",
        "100",
        "7/7",
        "10.0/12.0",
        "-",
        "ok",
    ]
    assert lines[3].endswith("MISS share<5%")
    assert "0.4%" in lines[3]


def test_without_wrk_the_bench_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(bench_wrk.shutil, "which", lambda _name: None)
    with pytest.raises(SystemExit, match="apt install wrk"):
        bench_wrk.wrk_command("http://127.0.0.1:1/", 3)


def test_hello_world_answers():
    assert hello_app.test_client().get("/").data == b"Hello, World!"


def test_the_sqlite_table_leaves_out_the_load_columns():
    result = _result()
    check_sqlite(result)
    line = table([result], load=False).splitlines()[2].split()
    assert line == ["page", "7/7", "10.0/12.0", "-", "ok"]
