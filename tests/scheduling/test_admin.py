"""The practice owner can look through scheduled jobs and their errors, but not change them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice.scheduling.models import Job
from practice.scheduling.services import job_schedule

pytestmark = pytest.mark.django_db


def test_owner_see_jobs_and_their_errors_read_only(owner_client: Client) -> None:
    job = job_schedule(
        kind="tests.record",
        key="tests:reminder-12",
        due_at=timezone.now() + timedelta(days=1),
        payload={"name": "reminder-12"},
    )
    Job.objects.filter(pk=job.pk).update(attempts=2, last_error="RuntimeError: mail server down")

    listing = owner_client.get(reverse("admin:scheduling_job_changelist"), {"q": "reminder"})
    assert listing.status_code == 200
    assert "tests:reminder-12" in listing.text
    assert "RuntimeError: mail server down" in listing.text
    assert reverse("admin:scheduling_job_add") not in listing.text

    detail = owner_client.get(reverse("admin:scheduling_job_change", args=[job.pk]))
    assert detail.status_code == 200
    assert 'name="due_at' not in detail.text
    assert owner_client.get(reverse("admin:scheduling_job_add")).status_code == 403


def test_owner_retry_a_given_up_job_from_the_admin(owner_client: Client, settings) -> None:
    job = job_schedule(
        kind="tests.record",
        key="tests:reminder-13",
        due_at=timezone.now() - timedelta(hours=6),
        payload={"name": "reminder-13"},
    )
    Job.objects.filter(pk=job.pk).update(
        attempts=settings.SCHEDULING_MAX_ATTEMPTS, last_error="RuntimeError: mail server down"
    )
    changelist = reverse("admin:scheduling_job_changelist")
    assert "gave up" in owner_client.get(changelist).text

    response = owner_client.post(
        changelist, {"action": "retry_now", "_selected_action": [job.pk]}, follow=True
    )

    assert "1 job(s) will run within a minute." in response.text
    job.refresh_from_db()
    assert job.attempts == 0
    assert job.due_at <= timezone.now()
    assert job.state == "pending"
