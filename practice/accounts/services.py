from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from practice.accounts.models import PatientInvite, PatientProfile, TherapistProfile, User
from practice.accounts.tokens import token_hash, token_new
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.services import email_queue


def patient_profile_ensure(*, user: User) -> PatientProfile:
    """Her patient profile, made (without a therapist yet) if she has none."""
    profile, _ = PatientProfile.objects.get_or_create(user=user)
    return profile


def user_name_change(*, user: User, full_name: str) -> User:
    """Change the name a person goes by on the site and in emails."""
    user.full_name = " ".join(full_name.split())
    user.save(update_fields=["full_name"])
    return user


#: How long a newly sent invite link is kept when "Send a new invite link" is clicked again.
INVITE_RESEND_PAUSE = timedelta(seconds=60)


class InviteUnusable(Exception):
    """The invite link can no longer be used; ``status`` says why."""

    def __init__(self, status: PatientInvite.Status) -> None:
        super().__init__(status)
        self.status = status


def _invite_send(*, patient: User, therapist: TherapistProfile) -> PatientInvite:
    token = token_new()
    invite = PatientInvite.objects.create(
        patient=patient,
        invited_by=therapist,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITE_VALID_DAYS),
    )
    email_queue(
        to=patient.email,
        template="accounts/patient_invite",
        context={
            "patient_name": patient.get_short_name() if patient.full_name else "",
            "therapist_name": therapist.display_name,
            "invite_url": settings.SITE_URL + reverse("accounts:invite_accept", args=[token]),
            "valid_days": settings.INVITE_VALID_DAYS,
        },
        idempotency_key=f"accounts.patient_invite:{invite.pk}",
        private=True,
    )
    return invite


@transaction.atomic
def patient_invite(
    *,
    therapist: TherapistProfile,
    email: str,
    full_name: str,
    request: HttpRequest | None = None,
) -> PatientInvite:
    """Create a patient of ``therapist`` without a password and email her a link to set one."""
    email = User.objects.normalize_email(email).strip().lower()
    account_exists = ValidationError(
        "There is already an account with this email address, so no invite was sent. "
        "If she is your patient, you will find her in your list below.",
        code="account_exists",
    )
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise account_exists
    try:
        with transaction.atomic():
            patient = User.objects.create_user(
                email=email, password=None, full_name=full_name.strip(), role=User.Role.PATIENT
            )
    except IntegrityError as exc:  # the same invite sent twice at once (a double click)
        raise account_exists from exc
    PatientProfile.objects.create(user=patient, therapist=therapist)
    EmailAddress.objects.create(user=patient, email=patient.email, verified=False, primary=True)
    invite = _invite_send(patient=patient, therapist=therapist)
    audit_record(
        actor=therapist.user,
        patient=patient,
        action=AuditEvent.Action.CREATE,
        obj=invite,
        summary="Created her account and sent an invite",
        request=request,
    )
    return invite


@transaction.atomic
def patient_invite_resend(
    *, therapist: TherapistProfile, patient: User, request: HttpRequest | None = None
) -> tuple[PatientInvite, bool]:
    """Send a fresh link; the earlier links stop working. Returns the invite and whether it is new.

    A link sent less than ``INVITE_RESEND_PAUSE`` ago is kept and returned instead: a second
    click would otherwise replace the link in the email she may be opening right now.
    """
    patient = User.objects.select_for_update().get(pk=patient.pk)
    if patient.has_usable_password():
        raise ValidationError(
            "She has already set her password, so she does not need an invite. "
            "If she has forgotten it, she can use “Forgot your password?” on the sign-in page.",
            code="already_active",
        )
    pending = PatientInvite.objects.filter(
        patient=patient, accepted_at__isnull=True, revoked_at__isnull=True
    )
    just_sent = (
        pending.filter(created_at__gt=timezone.now() - INVITE_RESEND_PAUSE)
        .order_by("-created_at")
        .first()
    )
    if just_sent is not None:
        return just_sent, False
    pending.update(revoked_at=timezone.now())
    invite = _invite_send(patient=patient, therapist=therapist)
    audit_record(
        actor=therapist.user,
        patient=patient,
        action=AuditEvent.Action.UPDATE,
        obj=invite,
        summary="Sent a new invite link (the earlier links stopped working)",
        request=request,
    )
    return invite, True


@transaction.atomic
def patient_invite_accept(*, invite: PatientInvite, password: str) -> User:
    """Use the invite once: set her password and confirm her email address."""
    invite = PatientInvite.objects.select_for_update().select_related("patient").get(pk=invite.pk)
    if invite.status != PatientInvite.Status.PENDING:
        raise InviteUnusable(invite.status)
    patient = invite.patient
    patient.set_password(password)
    patient.save(update_fields=["password"])
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    address, _ = EmailAddress.objects.get_or_create(
        user=patient, email__iexact=patient.email, defaults={"email": patient.email}
    )
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    return patient
