"""Reads of people. Patient data read here is audited here, not in each view."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest

from practice.accounts.models import PatientInvite, PatientProfile, TherapistProfile, User
from practice.accounts.tokens import token_hash
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record


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


def invite_get(*, token: str) -> PatientInvite | None:
    """The invite a link's token opens, if any (only the token's hash is stored)."""
    return (
        PatientInvite.objects.select_related("patient", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
