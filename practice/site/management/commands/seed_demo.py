"""Demo data for a local run: the practice profile, one therapist and one of her patients."""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from practice.accounts.models import PatientProfile, TherapistProfile, User
from practice.site.models import PracticeProfile, profile_defaults

DEMO_PASSWORD = "strong-bones-demo"  # noqa: S105 - printed on purpose; refused without DEBUG
THERAPIST_EMAIL = "therapist@example.com"
PATIENT_EMAIL = "patient@example.com"

THERAPIST_BIO = """\
I have spent thirty years helping women build stronger bones, and I still love it. I started \
out as a physical therapist, later trained as a nutrition consultant and then as a doctor of \
integrative medicine, because I kept seeing that exercise, food, sleep and stress all play \
their part in how our bones age.

Most of the women I work with have just been told they have osteopenia or osteoporosis, or \
they have had a fall and lost some confidence. Together we find out what your body needs, \
and I give you a short home program you can actually fit into your day: clear exercises, \
explained in plain words, that get a little harder as you get stronger.

My method is simple: move well, eat well, live well. It is never too late to start, and you \
do not have to do it alone."""


class Command(BaseCommand):
    help = "Create or refresh the demo practice, therapist and patient (idempotent)."

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
            PracticeProfile.objects.get_or_create(
                pk=PracticeProfile.SINGLETON_ID, defaults=profile_defaults()
            )
            therapist = _user(THERAPIST_EMAIL, "Ruth Whitaker", User.Role.THERAPIST, superuser=True)
            profile, _ = TherapistProfile.objects.get_or_create(
                user=therapist,
                defaults={
                    "slug": "ruth-whitaker",
                    "display_name": "Dr. Ruth Whitaker",
                    "credentials": "PT, CNC, DIM",
                    "headline": (
                        "Physical therapist, nutrition consultant and doctor of integrative "
                        "medicine, helping women with osteoporosis for 30 years"
                    ),
                    "bio": THERAPIST_BIO,
                },
            )
            patient = _user(PATIENT_EMAIL, "Margaret Ellis", User.Role.PATIENT, superuser=False)
            PatientProfile.objects.update_or_create(user=patient, defaults={"therapist": profile})

        self.stdout.write(
            self.style.SUCCESS(
                "Demo data is ready (`python manage.py demo_logins` shows the logins)."
            )
        )


def _user(email: str, full_name: str, role: str, *, superuser: bool) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    user.role = role
    user.is_superuser = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
