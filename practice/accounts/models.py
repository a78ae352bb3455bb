"""People: one user model with email as the login, and the profiles of its two roles."""

from datetime import UTC
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from rest_framework.authtoken.models import TokenProxy

from practice.core.timezones import TimeZoneField, practice_time_zone

#: The one answer for an address that belongs to another account, wherever it is typed.
EMAIL_TAKEN = "There is already an account with this email address."


def email_normalize(email: str) -> str:
    """An address as stored and compared everywhere: trimmed and lower-case, as allauth keeps it.

    Mail servers treat the part before the @ case-insensitively in practice, so two
    spellings that differ only in case are one person's address.
    """
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email_normalize(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("role", User.Role.PATIENT)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(role=User.Role.THERAPIST, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who can log in. Therapists are staff; the practice owner is a superuser."""

    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        THERAPIST = "therapist", "Therapist"

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PATIENT)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_unique_in_any_case",
                violation_error_message=EMAIL_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = email_normalize(self.email)

    @property
    def is_staff(self) -> bool:
        """Staff status follows the role, so it can never drift from it."""
        return self.role == self.Role.THERAPIST

    @property
    def is_therapist(self) -> bool:
        return self.role == self.Role.THERAPIST

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def greeting_name(self) -> str:
        """Her first name for "Hello, Margaret", or "" when we do not know her name (the email
        then greets her without one, never by her address)."""
        return self.get_short_name() if self.full_name else ""


class Session(AbstractBaseSession):
    """A browser's session (``practice.accounts.sessions``), with the account signed in on it.

    ``user`` repeats the id the signed session data holds, so the session and the signed-in
    person are read in one statement; None for a visitor. A copy, not a constraint: a
    session is saved whatever id its data names (an account deleted meanwhile is simply not
    found, as before); deleting an account through the ORM deletes its sessions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="sessions",
    )

    def __str__(self) -> str:
        """Never the key (Django's ``AbstractBaseSession`` shows it): the admin lists an
        account's sessions on the page deleting it, and a key signs its holder in. Its
        expiry in UTC; "not saved" for one made in code and given none yet."""
        if self.expire_date is None:
            return "Session (not saved)"
        return f"Session until {self.expire_date.astimezone(UTC):%Y-%m-%d %H:%M} UTC"

    @classmethod
    def get_session_store_class(cls) -> type:
        from practice.accounts.sessions import SessionStore

        return SessionStore


class TherapistProfile(models.Model):
    """What patients see of a therapist: on the home and about pages, articles and consults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_profile"
    )
    slug = models.SlugField(unique=True)
    display_name = models.CharField(max_length=150, help_text="As patients should see it.")
    credentials = models.CharField(max_length=200, blank=True, help_text="e.g. PT, DPT, CNC")
    headline = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="Plain text; blank lines start new paragraphs.")
    photo = models.ImageField(upload_to="therapists/", blank=True)
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text="Describes the photo for people who cannot see it.",
    )
    time_zone = TimeZoneField(default=practice_time_zone)
    is_listed = models.BooleanField(default=True, help_text="Shown on the home and about pages.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "display_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(photo="") | models.Q(photo_alt=""),
                name="therapist_photo_alt_only_with_photo",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}" if self.credentials else self.display_name


class PatientProfile(models.Model):
    """A patient and the therapist who treats her: the owner of her health records."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient_profile"
    )
    therapist = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="patients", null=True, blank=True
    )
    time_zone = TimeZoneField(default=practice_time_zone)

    def __str__(self) -> str:
        return str(self.user)


class PatientInvite(models.Model):
    """A one-time link a therapist sends so a patient can set her password."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for her"
        ACCEPTED = "accepted", "Accepted"
        NOT_NEEDED = "not_needed", "Not needed: she has a password"
        EXPIRED = "expired", "Expired"
        REPLACED = "replaced", "Replaced by a newer link"
        ADDRESS_CHANGED = "address_changed", "Cancelled: her email address was changed"

    #: The statuses an invite ends with before its time (``revoked_as``).
    REVOKED = (Status.NOT_NEEDED, Status.REPLACED, Status.ADDRESS_CHANGED)

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites"
    )
    invited_by = models.ForeignKey(
        TherapistProfile, on_delete=models.PROTECT, related_name="sent_invites"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_as = models.CharField(
        max_length=20, choices=[(s.value, s.label) for s in REVOKED], blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True, revoked_as="")
                | (models.Q(revoked_at__isnull=False) & ~models.Q(revoked_as="")),
                name="accounts_invite_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Invite for {self.patient.email}"

    @property
    def valid_days(self) -> int:
        return (self.expires_at - self.created_at).days

    @property
    def status(self) -> "PatientInvite.Status":
        """Where the invite stands. An ended invite stays ended: why it ended is stored when it
        ends (``services.patient_invites_end``), never read from her account, so turning her
        password off later (the admin's "disable password sign-in") does not re-open it."""
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status(self.revoked_as)
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING


class ApiKey(TokenProxy):
    """A patient's API key as the admin shows it: named by its owner, never by the key itself,
    which signs in as her and so is shown once, when made (see the admin)."""

    class Meta:
        proxy = True
        verbose_name = "API key"
        verbose_name_plural = "API keys"

    def __str__(self) -> str:
        return f"API key of {self.user}"
