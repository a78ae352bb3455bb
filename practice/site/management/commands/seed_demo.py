"""Demo data for a local run, gathered from each installed app's ``demo.py``.

Like the admin finds ``admin.py``, this command finds ``<app>/demo.py`` in every installed
app, in ``INSTALLED_APPS`` order (the core first, the domain apps last, so later apps can use
the people and profile made before them), and calls its ``seed() -> list[str]``. Each
``seed`` is idempotent; the lines it returns (logins, say) are printed at the end.
"""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import module_has_submodule


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
        lines: list[str] = []
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo"):
                    demo = import_module(f"{app_config.name}.demo")
                    lines += demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for line in lines:
            self.stdout.write(line)
