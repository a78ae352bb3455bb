"""The address of a local run and the demo logins: the last lines `make run` prints."""

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
        parser.add_argument("--url", default=f"{settings.SITE_URL}/", help="The site's address.")
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

    def handle(self, *args: Any, url: str, wait: float, stay: bool, **options: Any) -> None:
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
