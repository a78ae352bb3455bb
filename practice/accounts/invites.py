"""Invites: a therapist brings a patient onto the site, or asks an existing one to confirm her.

Writes, like ``services`` (keyword-only, one transaction, audited, emails on commit).
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from practice.accounts import selectors, tokens
from practice.accounts.models import (
    PatientInvite,
    PatientProfile,
    TherapistProfile,
    User,
    email_normalize,
)
from practice.accounts.services import (
    email_claims_release,
    patient_invites_end,
    patient_profile_ensure,
    signups_unfinished_remove,
)
from practice.accounts.tokens import token_hash, token_new
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.services import email_queue

#: How long a newly sent invite link is kept when "Send a new invite link" is clicked again.
INVITE_RESEND_PAUSE = timedelta(seconds=60)


class InviteUnusable(Exception):
    """The invite link can no longer be used; ``status`` says why."""

    def __init__(self, status: PatientInvite.Status) -> None:
        super().__init__(status)
        self.status = status


def _invite_send(*, patient: User, therapist: TherapistProfile) -> PatientInvite:
    token = token_new()
    now = timezone.now()
    invite = PatientInvite.objects.create(
        patient=patient,
        invited_by=therapist,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITE_VALID_DAYS),
    )
    email_queue(
        to=patient.email,
        template="accounts/patient_invite",
        context={
            "patient_name": patient.greeting_name,
            "therapist_name": therapist.display_name,
            "invite_url": settings.SITE_URL + reverse("accounts:invite_link", args=[token]),
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
) -> PatientInvite | None:
    """Create a patient of ``therapist`` without a password and email her a link to set one.

    If the address already belongs to a patient who has no therapist, no account is made:
    she is emailed and asked to confirm ``therapist`` (``therapist_link_request``), and None
    is returned. Raises ``ValidationError`` for an address of her own patient, of another
    therapist's patient (the practice decides such moves, not a link), or of a staff account.
    """
    email = email_normalize(email)
    owner = selectors.email_owner_get(email=email)
    if owner is not None:
        _invite_existing_account(therapist=therapist, owner=owner, request=request)
        return None
    signups_unfinished_remove(email=email)
    try:
        with transaction.atomic():
            patient = User.objects.create_user(
                email=email, password=None, full_name=full_name.strip(), role=User.Role.PATIENT
            )
    except IntegrityError as exc:  # the same invite sent twice at once (a double click)
        raise ValidationError(
            "There is already an account with this email address, so no invite was sent. "
            "If she is your patient, you will find her in your list below.",
            code="account_exists",
        ) from exc
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


def _invite_existing_account(
    *, therapist: TherapistProfile, owner: User, request: HttpRequest | None
) -> None:
    if not owner.is_patient:
        raise ValidationError(
            "This email address belongs to a staff account, so it cannot be invited as a patient.",
            code="staff_account",
        )
    profile = patient_profile_ensure(user=owner)
    if profile.therapist_id == therapist.pk:
        raise ValidationError(
            "There is already an account with this email address. She is already your "
            "patient: you will find her in your list below.",
            code="already_yours",
        )
    if profile.therapist_id is not None:
        raise ValidationError(
            "This email address belongs to someone who is already the patient of another "
            "therapist at the practice, so we did not contact her. If she should move to you, "
            "please talk with her therapist or the practice owner.",
            code="other_therapist",
        )
    therapist_link_request(therapist=therapist, patient=owner, request=request)


@transaction.atomic
def therapist_link_request(
    *, therapist: TherapistProfile, patient: User, request: HttpRequest | None = None
) -> None:
    """Email ``patient`` a signed link asking her to confirm ``therapist`` as her therapist.

    Her consent is needed: her therapist sees her health records. One email per therapist,
    patient and day, however often the therapist asks.
    """
    token = tokens.therapist_link_token(patient_id=patient.pk, therapist_id=therapist.pk)
    email_queue(
        to=patient.email,
        template="accounts/therapist_link_request",
        context={
            "patient_name": patient.greeting_name,
            "therapist_name": therapist.display_name,
            "confirm_url": settings.SITE_URL + reverse("accounts:therapist_link", args=[token]),
            "valid_days": settings.INVITE_VALID_DAYS,
        },
        idempotency_key=(
            f"accounts.therapist_link:{therapist.pk}:{patient.pk}:{timezone.now().date()}"
        ),
        private=True,
    )
    audit_record(
        actor=therapist.user,
        patient=patient,
        action=AuditEvent.Action.CREATE,
        obj=patient,
        summary="Asked her by email to confirm this therapist as her therapist",
        request=request,
    )


@transaction.atomic
def therapist_link_confirm(
    *, patient: User, therapist: TherapistProfile, request: HttpRequest | None = None
) -> PatientProfile:
    """She confirms ``therapist`` as her therapist (the link of ``therapist_link_request``).

    Confirming the therapist she already has changes nothing. Raises ``ValidationError`` if
    she has another therapist meanwhile: moving her is for the practice, not for a link.
    """
    patient_profile_ensure(user=patient)
    profile = PatientProfile.objects.select_for_update().get(user=patient)
    if profile.therapist_id == therapist.pk:
        return profile
    if profile.therapist_id is not None:
        raise ValidationError(
            "You already have a therapist at the practice, so nothing was changed. If you "
            "would like to change therapists, please call us.",
            code="other_therapist",
        )
    profile.therapist = therapist
    profile.save(update_fields=["therapist"])
    audit_record(
        actor=patient,
        patient=patient,
        action=AuditEvent.Action.UPDATE,
        obj=profile,
        summary=f"Confirmed {therapist.display_name} as her therapist",
        request=request,
    )
    return profile


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
    patient_invites_end(patient=patient, status=PatientInvite.Status.REPLACED)
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
    """Use the invite once: set her first password and confirm her email address.

    Raises ``InviteUnusable`` if the invite has ended, including when she already has a
    password (set by a reset or by the practice, which ends her invites, see ``receivers``):
    an invite never replaces one.
    """
    invite = PatientInvite.objects.select_for_update().get(pk=invite.pk)
    invite.patient = patient = User.objects.select_for_update().get(pk=invite.patient_id)
    if invite.status != PatientInvite.Status.PENDING:
        raise InviteUnusable(invite.status)
    invite.accepted_at = timezone.now()  # first, so her new password ends only her other links
    invite.save(update_fields=["accepted_at"])
    patient.set_password(password)
    patient.save(update_fields=["password"])
    address, _ = EmailAddress.objects.get_or_create(
        user=patient, email__iexact=patient.email, defaults={"email": patient.email}
    )
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    email_claims_release(email=patient.email, owner=patient)
    return patient
