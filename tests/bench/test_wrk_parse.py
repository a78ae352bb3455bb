"""bench/wrk.py reads the line bench/wrk.lua adds to wrk's output (samples from real runs)."""

import pytest

from bench.wrk import WrkError, parse

# wrk 4.1.0 (Debian) with bench/wrk.lua, against bench/wsgi.py under gunicorn.
TRIVIAL_VIEW = """\
Running 3s test @ http://127.0.0.1:8765/bench/trivial/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   175.63ms  482.84ms   2.33s    89.57%
    Req/Sec     1.81k     0.97k    3.96k    73.33%
  5459 requests in 3.03s, 2.74MB read
Requests/sec:   1798.90
Transfer/sec:      0.90MB
bench-wrk requests=5459 duration_us=3034632 p50_us=3056 p95_us=1529318 p99_us=2169974 \
max_us=2330138 non200=0 connect=0 read=0 write=0 timeout=0
"""
NOT_FOUND = """\
Running 2s test @ http://127.0.0.1:8765/nope/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   134.75ms  297.20ms   1.20s    85.85%
    Req/Sec   610.15    385.78     1.23k    60.00%
  1216 requests in 2.01s, 3.83MB read
  Non-2xx or 3xx responses: 1216
Requests/sec:    605.29
Transfer/sec:      1.91MB
bench-wrk requests=1216 duration_us=2008940 p50_us=1849 p95_us=929588 p99_us=1147652 \
max_us=1200516 non200=1216 connect=0 read=0 write=0 timeout=0
"""


def test_figures_come_from_the_lua_line():
    result = parse(TRIVIAL_VIEW)
    assert result.requests == 5459
    assert result.seconds == pytest.approx(3.034632)
    assert result.rps == pytest.approx(1798.9, abs=0.1)  # what wrk prints as Requests/sec
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == pytest.approx(
        (3.056, 1529.318, 2169.974)
    )
    assert result.errors == 0


def test_answers_other_than_200_are_errors():
    result = parse(NOT_FOUND)
    assert (result.non200, result.socket_errors, result.errors) == (1216, 0, 1216)


def test_output_without_the_lua_line_is_refused():
    with pytest.raises(WrkError, match="no 'bench-wrk' line"):
        parse(TRIVIAL_VIEW.rsplit("bench-wrk", 1)[0])
