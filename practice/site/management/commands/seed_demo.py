"""Demo data for a local run: every installed app's ``demo.seed()`` (see ``demos``)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from practice.site.demos import demo_modules


class Command(BaseCommand):
    help = "Create or refresh every app's demo data (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never in production).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it only runs with "
                "DEBUG on. Use --force if you really mean it."
            )
        with transaction.atomic():
            for demo in demo_modules():
                demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data is ready (`python manage.py demo_logins` shows the logins)."
            )
        )
