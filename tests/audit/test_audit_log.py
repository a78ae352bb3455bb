import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from practice.audit.models import AppendOnlyError, AuditEvent
from practice.audit.services import audit_record

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger lives in PostgreSQL"
)


@pytest.fixture
def event(therapist: User, patient: User) -> AuditEvent:
    return audit_record(
        actor=therapist, patient=patient, action=AuditEvent.Action.VIEW, summary="Looked"
    )


def user_change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_the_therapists_pages_are_audited(
    therapist_client: Client, therapist: User, patient: User
) -> None:
    therapist_client.get(reverse("accounts:patients"))
    therapist_client.get(reverse("accounts:patient_detail", kwargs={"patient_id": patient.pk}))
    therapist_client.post(
        reverse("accounts:patients"), {"full_name": "Vera Lyn", "email": "vera@example.com"}
    )

    listed, viewed, invited = AuditEvent.objects.order_by("id")
    assert (listed.actor, listed.action, listed.patient) == (therapist, "view", None)
    assert (viewed.action, viewed.patient, viewed.patient_email) == ("view", patient, patient.email)
    assert viewed.ip == "127.0.0.1"
    assert viewed.path == f"/accounts/patients/{patient.pk}/"
    assert invited.action == "create"
    assert invited.patient_email == "vera@example.com"
    assert invited.object_type == "accounts.patientinvite"


def test_staff_viewing_and_changing_a_patient_in_the_admin_is_audited(
    owner_client: Client, owner: User, patient: User
) -> None:
    assert owner_client.get(user_change_url(patient)).status_code == 200
    response = owner_client.post(
        user_change_url(patient),
        {
            "email": patient.email,
            "full_name": "Margaret Hill-Jones",
            "role": "patient",
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    viewed, changed = AuditEvent.objects.filter(patient=patient).order_by("id")
    assert (viewed.actor, viewed.action, viewed.summary) == (owner, "view", "Opened in the admin")
    assert changed.action == "update"
    assert "full_name" in changed.summary
    assert changed.actor_email == owner.email


def test_opening_a_therapist_in_the_admin_is_not_a_patient_access(
    owner_client: Client, therapist: User
) -> None:
    owner_client.get(user_change_url(therapist))

    assert not AuditEvent.objects.exists()


def test_the_history_outlives_a_deleted_patient(
    owner_client: Client, patient: User, event: AuditEvent
) -> None:
    email = patient.email
    response = owner_client.post(
        reverse("admin:accounts_user_delete", args=[patient.pk]), {"post": "yes"}
    )
    assert response.status_code == 302

    assert not User.objects.filter(pk=patient.pk).exists()
    kept = AuditEvent.objects.filter(patient_email=email).order_by("id")
    assert [e.action for e in kept] == ["view", "delete"]
    assert all(e.patient is None for e in kept)
    assert kept[0].summary == "Looked"


def test_audit_events_cannot_be_changed_or_removed_through_the_model(event: AuditEvent) -> None:
    event.summary = "Nothing to see"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing to see")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.get(pk=event.pk).summary == "Looked"


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET summary = 'Nothing to see' WHERE id = %s",
        "UPDATE audit_auditevent SET patient_email = '' WHERE id = %s",
        "UPDATE audit_auditevent SET patient_id = NULL, summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_rewrite_history(event: AuditEvent, sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).summary == "Looked"


def test_only_the_owner_sees_the_audit_log(
    therapist_client: Client, owner_client: Client, event: AuditEvent
) -> None:
    changelist = reverse("admin:audit_auditevent_changelist")
    change = reverse("admin:audit_auditevent_change", args=[event.pk])

    assert therapist_client.get(changelist).status_code == 403
    assert therapist_client.get(change).status_code == 403
    assert "Audit" not in therapist_client.get(reverse("admin:index")).content.decode()

    page = owner_client.get(changelist, {"q": event.patient_email})
    assert page.status_code == 200
    assert event.patient_email in page.content.decode()
    filtered = owner_client.get(changelist, {"action__exact": "update"})
    assert event.patient_email not in filtered.content.decode()


def test_even_the_owner_cannot_add_change_or_delete_audit_events(
    owner_client: Client, event: AuditEvent
) -> None:
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])

    page = owner_client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert owner_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert owner_client.post(delete, {"post": "yes"}).status_code == 403
    assert owner_client.post(change, {"summary": "Edited"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).summary == "Looked"


def test_listing_patients_and_setting_a_password_in_the_admin_are_audited(
    owner_client: Client, owner: User, patient: User
) -> None:
    owner_client.get(reverse("admin:accounts_patientprofile_changelist"))
    new_password = "Owner-chosen-password-5"
    response = owner_client.post(
        reverse("admin:auth_user_password_change", args=[patient.pk]),
        {"usable_password": "true", "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    listed, password_set = AuditEvent.objects.order_by("id")
    assert (listed.action, listed.patient) == ("view", None)
    assert listed.summary == "Opened the list of patient profiles in the admin"
    assert (password_set.action, password_set.patient) == ("update", patient)
    assert password_set.actor == owner


def test_opening_her_email_addresses_in_the_admin_is_audited(
    owner_client: Client, patient: User
) -> None:
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.get(user=patient)

    page = owner_client.get(reverse("admin:account_emailaddress_change", args=[address.pk]))

    assert page.status_code == 200
    assert AuditEvent.objects.filter(
        patient=patient, action="view", object_type="account.emailaddress"
    ).exists()
