"""`make run`'s stack on embedded defaults: SQLite, the filesystem broker, mail to the terminal.

Runs `make run` (migrate, demo data, then the real Procfile under honcho: web, worker, beat and
hello) with no server configured, checks the demo logins come last, signs a visitor up over HTTP
and waits for the worker to print her confirmation email.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVICE_ENV = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Output:
    """Collects a process's output lines in a thread, so the test can wait for one."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        return self.lines_matching(pattern, timeout)[0][1]

    def lines_matching(self, pattern: str, timeout: float = 60) -> list[tuple[int, re.Match[str]]]:
        """Waits for a line matching ``pattern``; returns every one so far with its index."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = list(self.lines)
            found = [(i, m) for i, line in enumerate(lines) if (m := re.search(pattern, line))]
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} in output:\n{''.join(self.lines[-60:])}")


@contextmanager
def make_run(tmp_path: Path, port: int, **env_changes: str | None) -> Iterator[Output]:
    """`make run PORT=port` with no server configured (``env_changes`` set or, when None,
    unset), its output collected; stopped, with all its processes, on leaving."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_ENV}
    env.update(VAR_DIR=str(tmp_path), PATH=f"{BIN}:{env['PATH']}")
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    stack = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield Output(stack)
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=30)


def wait_for_page(url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_make_run_stack_serves_the_site_and_delivers_mail(tmp_path):
    port = free_port()
    with make_run(tmp_path, port, SITE_URL=None) as output:
        base = f"http://127.0.0.1:{port}"
        output.wait_for(r"Demo data is ready", timeout=180)
        home = wait_for_page(base + "/")
        assert "Book a free 15-minute consult" in home
        output.wait_for(r"beat.*Starting")
        output.wait_for(r"worker.*ready")
        # The address and the demo logins come last, after every service's start-up banner.
        [(logins_at, _)] = output.lines_matching(r"hello.*patient@example\.com / \S+")
        [(address_at, _)] = output.lines_matching(rf"hello.*http://127\.0\.0\.1:{port}/")
        banner_lines = [
            *output.lines_matching(r"worker.*celery@\S+ v\d"),
            *output.lines_matching(r"worker.*\[tasks\]"),
            *output.lines_matching(r"worker.*ready"),
            *output.lines_matching(r"beat.*Starting"),
            *output.lines_matching(r"web.*Quit the server with"),
        ]
        assert min(logins_at, address_at) > max(i for i, _ in banner_lines)

        jar = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = browser.open(base + "/accounts/signup/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "email": "stack.reader@example.com",
            "password1": "a-good-long-passphrase-7",
            "password2": "a-good-long-passphrase-7",
        }
        request = urllib.request.Request(
            base + "/accounts/signup/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": base + "/accounts/signup/"},
        )
        assert browser.open(request).url == base + "/accounts/confirm-email/"

        output.wait_for(r"worker.*To: stack\.reader@example\.com")
        link = output.wait_for(r"(http://127\.0\.0\.1:\d+/accounts/confirm-email/\S+/)").group(1)
        assert link.startswith(f"{base}/")
        output.wait_for(rf"worker.*\| {base}/$")  # the email's footer: SITE_URL follows PORT
        assert browser.open(link).status == 200
    assert (tmp_path / "celery" / "control").is_dir()
    assert not (ROOT / "control").exists(), "the broker wrote outside VAR_DIR"
