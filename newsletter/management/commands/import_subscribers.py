"""``manage.py import_subscribers FILE.csv [--consent-evidence TEXT]`` (newsletter/imports.py)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsletter.imports import csv_text_decode, subscribers_import


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from a CSV file with columns email, first_name, tags. "
        "Without --consent-evidence new contacts are emailed a confirmation link; with it they "
        "are added as active with that evidence recorded. Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")
        parser.add_argument(
            "--consent-evidence",
            default="",
            help="How these people agreed to the newsletter; recorded on each new subscriber.",
        )

    def handle(self, *args: Any, file: Path, consent_evidence: str, **options: Any) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            report = subscribers_import(
                text=csv_text_decode(data), consent_evidence=consent_evidence
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line, problem in report.invalid:
            self.stderr.write(f"{file}:{line}: {problem}")
        self.stdout.write(report.summary())
