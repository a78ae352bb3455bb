"""`make run`'s stack on embedded defaults: SQLite, the filesystem broker, mail to the terminal.

Runs the real Procfile under honcho (web, worker, beat) with no server configured, signs a
visitor up over HTTP and waits for the worker to print her confirmation email.
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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} in output:\n{''.join(self.lines[-60:])}")


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
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_ENV}
    port = free_port()
    env.update(VAR_DIR=str(tmp_path), PORT=str(port), PATH=f"{BIN}:{env['PATH']}")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
    assert "patient@example.com / " in done.stdout

    stack = subprocess.Popen(
        [str(BIN / "honcho"), "start", "--procfile", "Procfile"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = Output(stack)
    try:
        base = f"http://127.0.0.1:{port}"
        home = wait_for_page(base + "/")
        assert "Book a free 15-minute consult" in home
        output.wait_for(r"beat.*Starting")
        output.wait_for(r"worker.*ready")

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
        assert browser.open(link).status == 200
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=30)
    assert (tmp_path / "celery" / "control").is_dir()
    assert not (ROOT / "control").exists(), "the broker wrote outside VAR_DIR"
