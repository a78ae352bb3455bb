"""Demo people: one therapist (the practice owner) and one of her patients."""

from allauth.account.models import EmailAddress

from practice.accounts.models import PatientProfile, TherapistProfile, User

DEMO_PASSWORD = "strong-bones-demo"  # noqa: S105 - printed on purpose; seed_demo needs DEBUG
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


def seed() -> None:
    """Create or refresh the two demo accounts (the password too)."""
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


def logins() -> list[str]:
    """``email / password`` of each demo account there is, and what the therapist meets first."""
    present = set(
        User.objects.filter(email__in=[THERAPIST_EMAIL, PATIENT_EMAIL]).values_list(
            "email", flat=True
        )
    )
    lines = [f"{e} / {DEMO_PASSWORD}" for e in (THERAPIST_EMAIL, PATIENT_EMAIL) if e in present]
    if THERAPIST_EMAIL in present:
        lines.append(
            "The therapist is asked to set up two-factor login (an authenticator app) the "
            "first time she opens a staff page."
        )
    return lines


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
