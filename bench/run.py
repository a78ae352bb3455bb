"""Load the trivial view and the home page under gunicorn and compare them, in one run.

    make bench          (= python scripts/testenv.py --no-browser python bench/run.py)

Needs DATABASE_URL (PostgreSQL) in the environment; testenv.py provides it with REDIS_URL.
Each page gets the same number of concurrent keep-alive clients for at most --requests
requests or --seconds seconds. The home page's throughput is printed as a share of the
trivial view's, measured back to back on the same server, so that figure stays comparable
between machines. Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {"trivial view": "/bench/trivial/", "home page": "/"}


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(share * 100) - 1]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(port: int) -> dict[str, str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL; run it through scripts/testenv.py")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "off",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "practice.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            "--threads=4",
            "--keep-alive=30",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("bench: gunicorn exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench: gunicorn did not start within 30 seconds")


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    return response.status, response.read()


def load(port: int, path: str, *, clients: int, requests: int, seconds: float) -> Result:
    result = Result()
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies, errors = [], 0
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, _ = fetch(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                errors += 1
                continue
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def check_pages(port: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in TARGETS.values():
        status, body = fetch(conn, path)
        if status != 200:
            sys.exit(f"bench: {path} answered {status}, not 200")
    if b"Book a free 15-minute consult" not in body:
        sys.exit("bench: the home page does not show its offers; is the data seeded?")
    conn.close()


def report(results: dict[str, Result], clients: int) -> None:
    print(f"\n{clients} concurrent keep-alive clients per page\n")
    print(f"{'page':<14} {'requests':>9} {'errors':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for name, result in results.items():
        print(
            f"{name:<14} {len(result.latencies):>9} {result.errors:>7} {result.rps:>9.1f}"
            f" {result.percentile(0.50) * 1000:>8.1f} {result.percentile(0.95) * 1000:>8.1f}"
        )
    trivial, home = results["trivial view"].rps, results["home page"].rps
    ratio = home / trivial if trivial else float("nan")
    print(f"\nhome page throughput = {ratio:.2f} x the trivial view's ({home:.1f} / {trivial:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000, help="at most, per page")
    parser.add_argument("--seconds", type=float, default=15, help="at most, per page")
    parser.add_argument("--warmup", type=int, default=100, help="requests per page, not counted")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    port = free_port()
    env = server_env(port)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--force")
    server = start_gunicorn(env, port, args.workers)
    try:
        check_pages(port)
        results = {}
        for name, path in TARGETS.items():
            load(port, path, clients=args.clients, requests=args.warmup, seconds=args.seconds)
            results[name] = load(
                port, path, clients=args.clients, requests=args.requests, seconds=args.seconds
            )
        report(results, args.clients)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
