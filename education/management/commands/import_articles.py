"""``manage.py import_articles FILE``: bring a WordPress blog's posts in as articles."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from education.wxr import WxrError
from education.wxr_import import articles_import_wxr


class Command(BaseCommand):
    help = (
        "Import the posts of a WordPress export (WXR .xml: WordPress → Tools → Export) as "
        "articles, with their topics, images and 301 redirects from their old addresses. "
        "Safe to run again: what was imported and not changed since is left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the exported .xml file")
        parser.add_argument(
            "--uploads",
            type=Path,
            help="a copy of the old site's wp-content/uploads folder, to take images from",
        )
        parser.add_argument(
            "--no-download", action="store_true", help="never download images over the network"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen; save nothing"
        )
        parser.add_argument(
            "--editor",
            default="",
            help="the email of the staff member the saved versions name (default: the owner)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
        uploads: Path | None = options["uploads"]
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"{uploads} is not a folder.")
        editor = self._editor(options["editor"])
        try:
            report = articles_import_wxr(
                data=data,
                editor=editor,
                uploads_dir=uploads,
                fetch=not options["no_download"],
                dry_run=options["dry_run"],
            )
        except WxrError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None
        for line in report.lines():
            self.stdout.write(line)

    @staticmethod
    def _editor(email: str) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        editor = users.filter(email__iexact=email).first() if email else None
        if email and (editor is None or not editor.is_staff):
            raise CommandError(f"No active staff account has the address {email}.")
        editor = editor or users.filter(is_superuser=True).order_by("pk").first()
        if editor is None:
            raise CommandError("Create the practice owner's account first (createsuperuser).")
        return editor
