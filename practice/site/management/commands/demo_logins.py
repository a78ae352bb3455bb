"""The address of a local run and the demo logins: the last lines `make run` prints."""

import argparse
import ipaddress
import signal
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from practice.celery import app
from practice.site.demos import demo_modules

POLL_SECONDS = 0.5


class Command(BaseCommand):
    help = (
        "Print the site's address and the demo logins; with --wait, once the web server and a "
        "Celery worker answer, so the lines come after their start-up banners."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        address = parser.add_mutually_exclusive_group()
        address.add_argument(
            "--url", default=f"{settings.SITE_URL}/", help="The site's address (SITE_URL's)."
        )
        address.add_argument(
            "--port",
            type=_port,
            help="The port the web server listens on, on this machine (`make run` passes "
            "its PORT): the address is SITE_URL's host, or 127.0.0.1, on that port.",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="First wait up to this long for the web server at --url and a Celery worker.",
        )
        parser.add_argument(
            "--stay",
            action="store_true",
            help="Then keep running until stopped (honcho stops every process when one ends).",
        )

    def handle(self, *args: Any, url: str, port: int | None, wait: float, stay: bool,
               **options: Any) -> None:  # fmt: skip
        if port is not None:
            url = _local_address(port)
        if urlsplit(url).scheme not in ("http", "https"):
            raise CommandError(f"--url must be an http(s) address, not {url!r}.")
        if wait:
            deadline = time.monotonic() + wait
            _wait_until(lambda: _web_answers(url), deadline)
            _wait_until(_worker_answers, deadline)
        self._print_logins(url)
        if stay:
            signal.pause()

    def _print_logins(self, url: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"The site runs at {url} (Ctrl-C stops it)."))
        lines = [
            line for demo in demo_modules() if hasattr(demo, "logins") for line in demo.logins()
        ]
        if not lines:
            self.stdout.write("There is no demo data yet: run `python manage.py seed_demo`.")
        else:
            self.stdout.write("Log in with one of these demo accounts (email / password):")
            for line in lines:
                self.stdout.write(line)
        self.stdout.write(
            "Emails, with their links, are printed above by the worker, as they are sent."
        )
        self.stdout.flush()  # a pipe (honcho) would otherwise hold the lines back


def _port(text: str) -> int:
    if not text.isdecimal() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"the port must be a number from 1 to 65535, not {text!r}")
    return int(text)


def _local_address(port: int) -> str:
    """``http://<host>:<port>/``: SITE_URL's host when SITE_URL is a plain-HTTP address on
    this machine (``make run``'s, or ``localhost`` in ``.env``), else 127.0.0.1, where
    ``runserver`` listens by default."""
    site = urlsplit(settings.SITE_URL)
    host = site.hostname or ""
    if site.scheme != "http" or not _is_loopback(host):
        host = "127.0.0.1"
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _wait_until(answers: Any, deadline: float) -> bool:
    while not answers():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def _web_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - http(s) checked above
            return True
    except urllib.error.HTTPError:
        return True  # an error page still means the server is up
    except OSError:
        return False


def _worker_answers() -> bool:
    return bool(app.control.ping(timeout=1.0))
