"""Reads about people. Patient data read here is audited here, not in each view.

Who owns an address: one account per address (in any case). An account *owns* an address it
has confirmed, and the address it signs in with. Two kinds of claim own nothing, so that
nobody can block the real owner of an address by typing it first:

- an extra address added on the account-settings page and never confirmed;
- a sign-up never finished: a patient account that has never signed in, has confirmed no
  address, and was not made by a therapist (no therapist, no invite).

The real owner may sign up or be invited with such an address; once she confirms it, those
claims are removed (services.email_claims_release).
"""

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest

from practice.accounts import tokens
from practice.accounts.models import (
    PatientInvite,
    PatientProfile,
    TherapistProfile,
    User,
    email_normalize,
)
from practice.accounts.tokens import token_hash
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record


def signup_unfinished_list(*, email: str) -> QuerySet[User]:
    """Accounts signing in with ``email`` that are an unfinished sign-up (see above)."""
    return User.objects.filter(
        email__iexact=email_normalize(email),
        role=User.Role.PATIENT,
        is_superuser=False,
        last_login__isnull=True,
    ).exclude(
        Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True))
        | Exists(PatientInvite.objects.filter(patient=OuterRef("pk")))
        | Exists(PatientProfile.objects.filter(user=OuterRef("pk"), therapist__isnull=False))
    )


def email_owner_get(*, email: str, exclude: User | None = None) -> User | None:
    """The account that owns ``email`` (see above), other than ``exclude``, if any."""
    email = email_normalize(email)
    confirmed = EmailAddress.objects.filter(email__iexact=email, verified=True)
    signs_in = User.objects.filter(email__iexact=email).exclude(
        pk__in=signup_unfinished_list(email=email).values("pk")
    )
    if exclude is not None:
        confirmed = confirmed.exclude(user=exclude)
        signs_in = signs_in.exclude(pk=exclude.pk)
    address = confirmed.select_related("user").first()
    if address is not None:
        return address.user
    return signs_in.first()


def therapist_profile_get(*, user: User) -> TherapistProfile | None:
    """Her therapist profile, or None if she has none (a patient, or a therapist not set up)."""
    try:
        return user.therapist_profile
    except TherapistProfile.DoesNotExist:
        return None


def therapist_list() -> QuerySet[TherapistProfile]:
    """The therapists the practice presents on its public pages, in the order it chose."""
    return TherapistProfile.objects.filter(is_listed=True, user__is_active=True).order_by(
        "sort_order", "display_name"
    )


def patient_therapist_get(*, user: User) -> TherapistProfile | None:
    """The therapist who treats her, if she is a patient and has one yet."""
    return TherapistProfile.objects.filter(patients__user=user).first()


def _patients(*, therapist: TherapistProfile) -> QuerySet[PatientProfile]:
    return (
        PatientProfile.objects.filter(therapist=therapist)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__invites",
                queryset=PatientInvite.objects.order_by("-created_at"),
                to_attr="invite_list",
            )
        )
        .order_by("user__full_name", "user__email")
    )


def patient_list(
    *, therapist: TherapistProfile, request: HttpRequest | None = None
) -> list[PatientProfile]:
    """The therapist's own patients, each with her invites newest first (``invite_list``).

    Audited as one view of the list by the therapist.
    """
    patients = list(_patients(therapist=therapist))
    audit_record(
        actor=therapist.user,
        patient=None,
        action=AuditEvent.Action.VIEW,
        summary=f"Viewed her list of patients ({len(patients)})",
        request=request,
    )
    return patients


def patient_get(
    *, therapist: TherapistProfile, patient_id: int, request: HttpRequest | None = None
) -> PatientProfile:
    """One of the therapist's own patients, audited; anyone else's raises ``Http404``."""
    try:
        profile = _patients(therapist=therapist).get(user_id=patient_id)
    except PatientProfile.DoesNotExist as exc:
        raise Http404("No such patient.") from exc
    audit_record(
        actor=therapist.user,
        patient=profile.user,
        action=AuditEvent.Action.VIEW,
        obj=profile,
        summary="Viewed her patient page and invites",
        request=request,
    )
    return profile


def invite_get_by_token(*, token: str) -> PatientInvite | None:
    """The invite a link's token opens, if any (only the token's hash is stored)."""
    return (
        PatientInvite.objects.select_related("patient", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invite_get(*, invite_id: int) -> PatientInvite | None:
    return (
        PatientInvite.objects.select_related("patient", "invited_by").filter(pk=invite_id).first()
    )


def therapist_link_by_ids(*, ids: Any) -> tuple[User, TherapistProfile] | None:
    """The patient and therapist of a link as kept in the session ([patient id, therapist id])."""
    if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, int) for i in ids)):
        return None
    patient = User.objects.filter(pk=ids[0], role=User.Role.PATIENT).first()
    therapist = TherapistProfile.objects.filter(pk=ids[1]).first()
    if patient is None or therapist is None:
        return None
    return patient, therapist


def therapist_link_get(*, token: str) -> tuple[User, TherapistProfile] | None:
    """The patient and therapist a therapist-link token was signed for, while it is valid."""
    ids = tokens.therapist_link_read(token, max_age=timedelta(days=settings.INVITE_VALID_DAYS))
    return therapist_link_by_ids(ids=list(ids)) if ids is not None else None
