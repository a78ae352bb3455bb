"""The therapist's patients list under load: its population, and a signed-in therapist.

    python bench/monitor_seed.py      (bench/run.py's prepare step runs it with the server's env)

Idempotent. Makes a bench therapist with 200 patients (``PATIENTS``), each on a running
program of 74 days (60 behind her, 14 ahead), prescribed twice a day, with 100 session logs
(two a day on 50 of the last 60 days: 20,000 logs in all) and the ``ProgramDay`` rows that
session logging would have left for them (2 prescribed, 0 or 2 done), so adherence, last
log, latest pain and its zone all have data; every third patient has an open pain flag. The
rows are written in bulk (signals are skipped: no reminder Jobs). A second run finds the
population complete and leaves it; an incomplete one (an interrupted run) is made again.

Then it signs the therapist in as a person would, through allauth's login form and the
authenticator-code step (a fresh password and TOTP authenticator each run), so the session passes
``StaffTwoFactorMiddleware``, and opens her list; it prints the ``Cookie`` header her browser
would then send (the session and CSRF cookies) on stdout.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from practice.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PATIENTS = 200
LOGS_PER_PATIENT = 100
DAYS_BEHIND = 60
DAYS_AHEAD = 14
THERAPIST_EMAIL = "bench.therapist@example.com"
PATIENT_EMAIL = "bench.patient.{n}@example.com"
#: A new password every run: the bench therapist signs in only from here.
PASSWORD = secrets.token_urlsafe(24)


def therapist_ensure() -> User:
    from allauth.account.models import EmailAddress

    from practice.accounts.models import TherapistProfile
    from practice.accounts.models import User as UserModel

    user = UserModel.objects.filter(email=THERAPIST_EMAIL).first()
    if user is None:
        user = UserModel.objects.create_user(
            email=THERAPIST_EMAIL,
            password=PASSWORD,
            full_name="Bench Therapist",
            role=UserModel.Role.THERAPIST,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        TherapistProfile.objects.create(
            user=user, slug="bench-therapist", display_name="Bench Therapist", is_listed=False
        )
    else:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def logged_on(day_index: int) -> bool:
    """Whether she logged (twice) on the day ``day_index`` days ago: 50 of every 60 days."""
    return day_index % 6 != 5


def population_complete(therapist: User) -> bool:
    from exercises.models import SessionLog

    logs = SessionLog.objects.filter(program__therapist=therapist.therapist_profile).count()
    return logs == PATIENTS * LOGS_PER_PATIENT


def population_make(therapist: User) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from exercises.models import PainFlag, Program, ProgramDay, SessionLog
    from exercises.pain import FlagKind
    from practice.accounts.models import PatientProfile
    from practice.accounts.models import User as UserModel
    from practice.core.selectors import practice_zone

    profile = therapist.therapist_profile
    today = timezone.now().astimezone(practice_zone()).date()
    with transaction.atomic():
        Program.objects.filter(therapist=profile).delete()
        UserModel.objects.filter(patient_profile__therapist=profile).delete()
        users = UserModel.objects.bulk_create(
            UserModel(
                email=PATIENT_EMAIL.format(n=n),
                full_name=f"Bench Patient {n:03d}",
                password=make_password(None),
            )
            for n in range(PATIENTS)
        )
        PatientProfile.objects.bulk_create(
            PatientProfile(user=user, therapist=profile) for user in users
        )
        programs = Program.objects.bulk_create(
            Program(
                patient=user,
                therapist=profile,
                title="Hip flexor release",
                start_date=today - timedelta(days=DAYS_BEHIND - 1),
                end_date=today + timedelta(days=DAYS_AHEAD),
            )
            for user in users
        )
        ProgramDay.objects.bulk_create(
            (
                ProgramDay(
                    program=program,
                    patient_id=program.patient_id,
                    day=today - timedelta(days=d),
                    prescribed=Decimal(2),
                    done=Decimal(2 if d >= 0 and logged_on(d) else 0),
                )
                for program in programs
                for d in range(-DAYS_AHEAD, DAYS_BEHIND)
            ),
            batch_size=2000,
        )
        SessionLog.objects.bulk_create(
            (
                SessionLog(
                    program=program,
                    patient_id=program.patient_id,
                    performed_on=today - timedelta(days=d),
                    idempotency_key=f"bench-{d}-{k}",
                    items_done=3,
                    items_total=3,
                    pain_before=2,
                    pain_after=(n + d) % 8,
                    rpe=4,
                    source=SessionLog.Source.FORM,
                )
                for n, program in enumerate(programs)
                for d in range(DAYS_BEHIND)
                if logged_on(d)
                for k in range(2)
            ),
            batch_size=2000,
        )
        PainFlag.objects.bulk_create(
            PainFlag(
                patient_id=program.patient_id,
                program=program,
                kind=FlagKind.PAIN_HIGH,
                key=f"bench-{program.pk}",
                detail="Pain 7 of 10 after the session.",
            )
            for program in programs[::3]
        )


def session_cookies(therapist: User) -> str:
    """Sign in with password and authenticator code and open her patients list, as a browser
    would; the cookies a browser then sends (the session's and the CSRF one) as a ``Cookie``
    header value."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    Authenticator.objects.filter(user=therapist).delete()
    secret = generate_totp_secret()
    TOTP.activate(therapist, secret)
    client = Client(SERVER_NAME="127.0.0.1")
    response = client.post(
        reverse("account_login"), {"login": THERAPIST_EMAIL, "password": PASSWORD}, secure=True
    )
    if response.status_code != 302 or response["Location"] != reverse("mfa_authenticate"):
        sys.exit(f"bench: the therapist's login answered {response.status_code}")
    period = mfa_settings.TOTP_PERIOD
    for _attempt in range(3):
        # A busy machine can take seconds to answer: start early in a period, and a code that
        # expired on the way (the form comes back, 200) is followed by the next period's.
        left = period - time.time() % period
        if left < period / 2:
            time.sleep(left + 0.1)
        code = format_hotp_value(hotp_value(secret, int(time.time()) // period))
        response = client.post(reverse("mfa_authenticate"), {"code": code}, secure=True)
        if response.status_code == 302:
            break
    else:
        sys.exit(f"bench: the therapist's authenticator step answered {response.status_code}")
    if client.get(reverse("exercises:monitor"), secure=True).status_code != 200:
        sys.exit("bench: the therapist's patients list did not open after signing in")
    names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    therapist = therapist_ensure()
    if not population_complete(therapist):
        population_make(therapist)
    print(session_cookies(therapist))


if __name__ == "__main__":
    main()
