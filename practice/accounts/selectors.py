from django.db.models import Prefetch, QuerySet
from django.http import Http404

from practice.accounts.models import PatientInvite, PatientProfile, TherapistProfile, User
from practice.accounts.tokens import token_hash


def therapist_profile_of(user: User) -> TherapistProfile | None:
    try:
        return user.therapist_profile
    except TherapistProfile.DoesNotExist:
        return None


def patient_therapist(*, user: User) -> TherapistProfile | None:
    """The therapist who treats her, if she is a patient and has one yet."""
    return TherapistProfile.objects.filter(patients__user=user).first()


def therapist_patients(*, therapist: TherapistProfile) -> QuerySet[PatientProfile]:
    """The therapist's own patients, each with her invites newest first (``invite_list``)."""
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


def therapist_patient_get(*, therapist: TherapistProfile, patient_id: int) -> PatientProfile:
    """One of the therapist's own patients; anyone else's is simply not found."""
    try:
        return therapist_patients(therapist=therapist).get(user_id=patient_id)
    except PatientProfile.DoesNotExist as exc:
        raise Http404("No such patient.") from exc


def invite_by_token(*, token: str) -> PatientInvite | None:
    return (
        PatientInvite.objects.select_related("patient", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
