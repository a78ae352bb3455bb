"""Run a command beside a throwaway PostgreSQL and Redis on free loopback ports.

    python scripts/testenv.py pytest -q
    python scripts/testenv.py --no-browser --bench python bench/run.py

The servers live in a temporary folder and are stopped and deleted afterwards, so a user's
own databases are never touched. The command sees DATABASE_URL, REDIS_URL and TESTING=1.
Missing system packages are installed when we have the rights (root or password-less sudo);
otherwise we stop with one line that names what to install. Options come before the command:
--no-browser skips Chromium (only the browser tests need it), --bench adds the `wrk` load
generator (only bench/run.py needs it). --packages-only installs only what the site itself
needs (Pango, for WeasyPrint's PDFs) and runs nothing: `make run` uses it.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
PG_USER = "postgres"


def log(message: str) -> None:
    print(f"testenv: {message}", file=sys.stderr, flush=True)


def find_pg_bin() -> Path | None:
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def missing_packages(
    need_browser: bool, need_bench: bool = False, need_servers: bool = True
) -> list[str]:
    missing = []
    if need_servers and find_pg_bin() is None:
        missing.append("postgresql")
    if need_servers and shutil.which("redis-server") is None:
        missing.append("redis-server")
    if need_browser and shutil.which("chromium") is None:
        missing.append("chromium")
    if need_bench and shutil.which("wrk") is None:
        missing.append("wrk")
    if ctypes.util.find_library("pango-1.0") is None:  # WeasyPrint (PDF handouts, the guide)
        missing.extend(["libpango-1.0-0", "libpangoft2-1.0-0"])
    return missing


def ensure_system_packages(
    need_browser: bool, need_bench: bool = False, need_servers: bool = True
) -> None:
    missing = missing_packages(need_browser, need_bench, need_servers)
    if not missing:
        return
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif (
        shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], check=False).returncode == 0
    ):
        prefix = ["sudo", "-n"]
    else:
        sys.exit(f"testenv: please run: sudo apt-get install {' '.join(missing)}")
    log(f"installing {' '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    still_missing = missing_packages(need_browser, need_bench, need_servers)
    if still_missing:
        sys.exit(f"testenv: apt-get did not provide: {' '.join(still_missing)}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def ensure_pg_user() -> None:
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", PG_USER], check=True)


def as_pg_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as an unprivileged user."""
    return ["runuser", "-u", PG_USER, "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres(root: Path) -> Iterator[str]:
    pg_bin = find_pg_bin()
    assert pg_bin is not None
    data, sockets = root / "pgdata", root / "pgsock"
    for folder in (root, sockets):
        folder.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        ensure_pg_user()
        for folder in (root, sockets):
            shutil.chown(folder, PG_USER)
    port = free_port()
    subprocess.run(
        as_pg_user(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        as_pg_user(
            [
                str(pg_bin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-s",
                "-l",
                str(root / "postgres.log"),
                "start",
            ]
        ),
        check=True,
    )
    try:
        subprocess.run(
            [
                str(pg_bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "practice",
            ],
            check=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/practice"
    finally:
        subprocess.run(
            as_pg_user([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-s", "stop"]),
            check=False,
        )


@contextlib.contextmanager
def redis(root: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


USAGE = "usage: testenv.py [--no-browser] [--bench] COMMAND [ARGS...] | --packages-only"
OPTIONS = ("--no-browser", "--bench", "--packages-only")


def split_options(argv: list[str]) -> tuple[set[str], list[str]]:
    """The leading options are ours; everything from the first other word is the command's."""
    options: set[str] = set()
    while argv and argv[0].startswith("--"):
        if argv[0] not in OPTIONS:
            sys.exit(f"testenv: unknown option {argv[0]}\n{USAGE}")
        options.add(argv[0])
        argv = argv[1:]
    return options, argv


def main(argv: list[str]) -> int:
    options, command = split_options(argv)
    if "--packages-only" in options:
        ensure_system_packages(need_browser=False, need_servers=False)
        return 0
    if not command:
        sys.exit(USAGE)
    ensure_system_packages(
        need_browser="--no-browser" not in options, need_bench="--bench" in options
    )
    root = Path(tempfile.mkdtemp(prefix="practice-testenv-"))
    root.chmod(0o755)  # the unprivileged PostgreSQL user must reach its folder inside
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with postgres(root / "pg") as database_url, redis(root) as redis_url:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "TESTING": "1",
                "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            }
            log(f"PostgreSQL at {database_url}, Redis at {redis_url}")
            return subprocess.run(command, env=env, check=False).returncode
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
