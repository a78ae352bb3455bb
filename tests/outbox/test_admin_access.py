"""The outbox and the scheduled jobs are the owner's: other staff cannot open them, and her
views of them are in the audit log (recipients and subjects say who is a patient)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice.accounts.models import User
from practice.audit.models import AuditEvent
from practice.outbox.services import email_queue_rendered
from practice.scheduling.registry import job_handler
from practice.scheduling.services import job_schedule

pytestmark = pytest.mark.django_db

OUTBOX = reverse("admin:outbox_outboxmessage_changelist")
JOBS = reverse("admin:scheduling_job_changelist")


@job_handler("tests.remind")
def remind(*, name: str) -> None:
    """A job kind for these tests; it never runs here."""


def _queue_note(to: str) -> int:
    message = email_queue_rendered(
        to=to, subject="Your reset link", text="Hello", idempotency_key=f"note:{to}"
    )
    return message.pk


def test_other_staff_cannot_open_the_outbox_or_the_jobs(
    therapist_client: Client, patient: User
) -> None:
    pk = _queue_note(patient.email)
    job = job_schedule(
        kind="tests.remind",
        key="tests:remind-ivy",
        due_at=timezone.now() + timedelta(hours=1),
        payload={"name": "ivy"},
    )

    assert therapist_client.get(OUTBOX).status_code == 403
    assert (
        therapist_client.get(reverse("admin:outbox_outboxmessage_change", args=[pk])).status_code
        == 403
    )
    assert therapist_client.get(JOBS).status_code == 403
    assert (
        therapist_client.get(reverse("admin:scheduling_job_change", args=[job.pk])).status_code
        == 403
    )
    assert "outbox" not in therapist_client.get(reverse("admin:index")).text.lower()
    resend = therapist_client.post(OUTBOX, {"action": "resend", "_selected_action": [pk]})
    assert resend.status_code == 403


def test_the_owner_s_views_of_the_outbox_are_audited(owner_client: Client, patient: User) -> None:
    pk = _queue_note(patient.email)

    assert owner_client.get(OUTBOX).status_code == 200
    assert (
        owner_client.get(reverse("admin:outbox_outboxmessage_change", args=[pk])).status_code == 200
    )
    assert owner_client.get(JOBS).status_code == 200

    summaries = list(AuditEvent.objects.order_by("pk").values_list("summary", "patient_email"))
    assert ("Opened the list of emails in the admin", "") in summaries
    assert ("Opened in the admin", patient.email) in summaries
    assert ("Opened the list of jobs in the admin", "") in summaries
