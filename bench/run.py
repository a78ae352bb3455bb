"""Load pages of the site under gunicorn with wrk and print each as a ratio of a bare Django view.

    make bench          (= python scripts/testenv.py --no-browser --bench python bench/run.py)

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; testenv.py provides both and, with --bench,
installs wrk. Not a pass/fail test: it prints a table, and exits 1 only if a page answered
anything but 200 while loaded. A page that does not answer 200 (with its expected text)
before the load stops the run.

What is measured, and why the figures stay comparable between runs and machines:

* The baseline is a bare Django view: a view that returns "ok", resolved from a one-URL
  URLconf by a Django handler with no middleware (bench/wsgi.py). It answers from the same
  gunicorn workers, threads and interpreter as the pages: bench/wsgi.py sends its one path
  to that handler and every other path to the site. Each page's figure is its requests per
  second divided by the baseline's in the same round, which cancels most of the machine's
  speed. The same view behind all the site's middleware is a row too: the stack's own cost.
* The server runs production's settings: DEBUG off, TESTING unset (testenv.py sets it for
  the tests; here it would turn on WhiteNoise's per-request file lookups and the plain
  static storage), and static files collected into a temporary VAR_DIR for the manifest
  storage. SECURE_SSL_REDIRECT is off, as in docker-compose.yml, since wrk speaks plain HTTP.
  The data is seed_demo's. gunicorn's access log is off: it would cost every row the same.
* The load comes from wrk (bench/wrk.py, bench/wrk.lua), not from Python: a fixed number of
  keep-alive connections, each sending its next request when the last is answered. Every
  page is warmed up first (--warmup seconds, not counted), then all pages are loaded in
  turn, --rounds times, so a page and the baseline are measured seconds apart and a busy
  moment of the machine shows as a wide range rather than as a wrong ratio. The table gives
  medians over the rounds. It also prints wrk's CPU use, to show the client is not the
  bottleneck, and gunicorn's CPU time per answer ("cpu ms", read from /proc): other
  programs on the machine slow the server down but barely change what an answer costs, so
  "cpu vs bare" is the steadier ratio when the machine is busy.
* One gunicorn worker by default. With keep-alive, a connection stays with the worker that
  accepted it, and with two workers one of them often accepted all eight: back to back, the
  same page then measured at one core's throughput or two (275 and 345 req/s for the home
  page). One worker makes every run the same shape. On the 2-core machine this was written
  on, that leaves the other core to wrk (one thread), PostgreSQL and Redis; they still share
  the machine with the server, so compare ratios, not absolute req/s.

To add a page, append a Target to TARGETS. A target's headers go with the pre-check and with
every loaded request, so a logged-in page carries its session there, e.g.
{"Cookie": "sessionid=..."} for a session created after seeding.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make `bench` importable

from bench import wrk  # noqa: E402
from bench.bare_urls import BARE_PATH  # noqa: E402

BIN = Path(sys.executable).parent
#: A collected, hashed static file name: proof that the manifest storage is in use.
HASHED_STATIC = re.compile(r"/static/css/site\.[0-9a-f]{12}\.css")


@dataclass(frozen=True)
class Target:
    """One page to load. ``expect`` is text the pre-check requires in the body (seeded data);
    ``headers`` are sent with every request, e.g. a logged-in session's Cookie."""

    name: str
    path: str
    expect: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


def consult_day() -> str:
    """A weekday a week ahead: seed_demo's host has free times then (past the notice)."""
    day = datetime.date.today() + datetime.timedelta(days=7)
    while day.weekday() > 4:
        day += datetime.timedelta(days=1)
    return day.isoformat()


BASELINE = Target("bare view, no middleware", BARE_PATH, expect="ok")
TARGETS: list[Target] = [
    BASELINE,
    Target("trivial view, all middleware", "/bench/trivial/", expect="ok"),
    Target("home page", "/", expect="Book a free 15-minute consult"),
    # education's demo articles (education/demo.py)
    Target("article list", "/articles/", expect="Weak glutes: waking up"),
    Target("article page", "/articles/weak-glutes/", expect="Weak glutes: waking up"),
    Target(
        "consult slots API, one day",
        f"/api/v1/consults/slots/?date={consult_day()}&tz=America/New_York",
        expect='"host"',
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(port: int, var_dir: Path) -> dict[str, str]:
    """Production's settings: TESTING (set by testenv.py) is dropped, DEBUG is off."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL; run it through scripts/testenv.py")
    env = {name: value for name, value in os.environ.items() if name != "TESTING"}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "off",
        "VAR_DIR": str(var_dir),
        # The API's per-address throttles (anon and user: DRF counts an anonymous client in
        # both) would answer wrk's one address 429 within a second; limits that never trip
        # keep their cost (cache round trips) in the figures.
        "API_ANON_RATE": "100000000/minute",
        "API_USER_RATE": "100000000/minute",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str]) -> list[Target]:
    """Migrate, seed, collect static files; returns the targets that need a signed-in session."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--force")
    manage(env, "collectstatic", "--noinput", "-v0")
    # 200 patients, 20,000 session logs and a therapist signed in with her authenticator code.
    seeded = subprocess.run(
        [str(BIN / "python"), "bench/monitor_seed.py"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    cookie = seeded.stdout.strip().splitlines()[-1]
    return [
        Target(
            "therapist's patients list, 200",
            "/exercises/monitor/",
            expect="Bench Patient 199",
            headers={"Cookie": cookie},
        ),
        # The same therapist's smallest page (her settings form): what any signed-in page
        # costs (session, two-factor check, the layout) whatever its content.
        Target(
            "therapist's settings page",
            "/exercises/monitor/settings/",
            expect="Pain-monitoring settings",
            headers={"Cookie": cookie},
        ),
    ]


def wait_for_port(server: subprocess.Popen[bytes], port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("bench: gunicorn exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"bench: gunicorn did not start within {timeout:g} seconds")


@dataclass(frozen=True)
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time used so far by gunicorn's master and its workers (Linux /proc)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # a process that ended meanwhile
            pid, ppid = int(stat.parent.name), int(fields[1])
            if self.pid in (pid, ppid):
                total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> Iterator[Server]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "bench.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(server, port)
        yield Server(port, server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def fetch(port: int, target: Target) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", target.path, headers={"Host": "127.0.0.1", **target.headers})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def check_targets(port: int, targets: list[Target]) -> None:
    """Stop before loading anything if a target does not answer 200 with its expected text."""
    for target in targets:
        status, body = fetch(port, target)
        if status != 200:
            sys.exit(f"bench: {target.name} ({target.path}) answered {status}, not 200")
        if target.expect not in body:
            sys.exit(f"bench: {target.name} ({target.path}) lacks {target.expect!r}; seeded?")


def check_production_static(port: int) -> None:
    """The home page must link collected, hashed files: the storage production uses."""
    status, body = fetch(port, Target("home page", "/"))
    if status != 200 or not HASHED_STATIC.search(body):
        sys.exit("bench: the home page does not link hashed static files: not production's storage")


@dataclass(frozen=True)
class Run:
    """One wrk run, and the CPU time gunicorn spent answering it."""

    wrk: wrk.WrkResult
    server_cpu_seconds: float

    @property
    def server_cpu_ms(self) -> float:
        """Server CPU per answer: unlike req/s, barely moved by other programs on the machine."""
        return self.server_cpu_seconds * 1000 / self.wrk.requests if self.wrk.requests else math.nan


def load(server: Server, target: Target, seconds: float, args: argparse.Namespace) -> Run:
    before = server.cpu_seconds()
    result = wrk.run(
        f"http://127.0.0.1:{server.port}{target.path}",
        threads=args.wrk_threads,
        connections=args.connections,
        seconds=seconds,
        headers=target.headers,
    )
    return Run(result, server.cpu_seconds() - before)


def measure(server: Server, targets: list[Target], args: argparse.Namespace) -> list[list[Run]]:
    """Warm every target up (not counted), then load them in turn, --rounds times over.

    Rounds rather than one long run per target: a page and the baseline are then measured
    seconds apart, so a slow minute of the machine hits both instead of one of them.
    Returns the runs by round, each in the order of ``targets``.
    """
    for target in targets:
        load(server, target, args.warmup, args)
    return [
        [load(server, target, args.seconds, args) for target in targets] for _ in range(args.rounds)
    ]


@dataclass(frozen=True)
class Summary:
    """One target over all rounds: medians, and its ratio to the baseline of the same round."""

    target: Target
    rps: float
    p50_ms: float
    p95_ms: float
    server_cpu_ms: float
    cpu_ratio: float
    errors: int
    client_cpu_share: float
    ratios: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


def summarize(target: Target, runs: list[Run], baseline: list[Run]) -> Summary:
    results = [run.wrk for run in runs]
    cpu_ms = statistics.median(run.server_cpu_ms for run in runs)
    base_cpu_ms = statistics.median(run.server_cpu_ms for run in baseline)
    return Summary(
        target=target,
        rps=statistics.median(result.rps for result in results),
        p50_ms=statistics.median(result.p50_ms for result in results),
        p95_ms=statistics.median(result.p95_ms for result in results),
        server_cpu_ms=cpu_ms,
        cpu_ratio=base_cpu_ms / cpu_ms if cpu_ms else math.nan,
        errors=sum(result.errors for result in results),
        client_cpu_share=max(result.client_cpu_share for result in results),
        ratios=[
            run.wrk.rps / base.wrk.rps if base.wrk.rps else math.nan
            for run, base in zip(runs, baseline, strict=True)
        ],
    )


def summaries(targets: list[Target], rounds: list[list[Run]]) -> list[Summary]:
    by_target = [list(runs) for runs in zip(*rounds, strict=True)]
    baseline = by_target[targets.index(BASELINE)]
    return [
        summarize(target, runs, baseline) for target, runs in zip(targets, by_target, strict=True)
    ]


def report(results: list[Summary], args: argparse.Namespace) -> None:
    load1, _, _ = os.getloadavg()
    print(
        f"\ngunicorn: {args.workers} gthread worker(s) x {args.threads} threads."
        f" wrk: {args.wrk_threads} thread(s), {args.connections} keep-alive connections."
        f"\n{args.rounds} rounds of {args.seconds:g}s per page after {args.warmup:g}s of warm-up."
        f" {os.cpu_count()} cores, load average {load1:.1f} at the end.\n"
    )
    print(
        f"{'page':<30} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
        f" {'vs bare':>8} {'range':>10} {'cpu ms':>7} {'cpu vs bare':>11}"
    )
    for result in results:
        spread = f"{min(result.ratios):.2f}-{max(result.ratios):.2f}"
        print(
            f"{result.target.name:<30} {result.rps:>8.1f} {result.p50_ms:>7.1f}"
            f" {result.p95_ms:>7.1f} {result.errors:>6} {result.ratio:>7.2f}x {spread:>10}"
            f" {result.server_cpu_ms:>7.2f} {result.cpu_ratio:>10.2f}x"
        )
    wrk_cpu = max(result.client_cpu_share for result in results)
    print(
        f"\nMedians of the rounds. vs bare: req/s over the bare view's in the same round; range:"
        f" its lowest and highest round.\ncpu ms: gunicorn's CPU time per answer; cpu vs bare:"
        f" the bare view's over the page's, the figure least moved by other programs running."
        f"\nwrk used at most {wrk_cpu:.0%} of one core."
    )
    failed = [result.target.name for result in results if result.errors]
    if failed:
        print(f"\nbench: non-200 answers or socket errors under load: {', '.join(failed)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times every page is loaded")
    parser.add_argument("--seconds", type=float, default=5, help="per page and round")
    parser.add_argument("--warmup", type=float, default=3, help="seconds per page, not counted")
    parser.add_argument("--connections", type=int, default=8, help="wrk's keep-alive connections")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=1, help="gunicorn workers (see the docstring)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed; run `make bench` (it installs it) or apt-get it")
    port = free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="practice-bench-"))
    try:
        env = server_env(port, var_dir)
        targets = [*TARGETS, *prepare(env)]
        with gunicorn(env, port, args.workers, args.threads) as server:
            check_production_static(port)
            check_targets(port, targets)
            rounds = measure(server, targets, args)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    results = summaries(targets, rounds)
    report(results, args)
    return 1 if any(result.errors for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
