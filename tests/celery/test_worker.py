"""The worker and beat run the project's periodic scanners end to end: a due job queues an
email, the worker delivers it to the mail server."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from practice.celery import app
from practice.outbox.services import email_queue_rendered
from practice.scheduling.models import Job
from practice.scheduling.registry import job_handler
from practice.scheduling.services import job_schedule
from tests.fixtures.services import SmtpServer, wait_until


@job_handler("tests.say_hello")
def say_hello(*, to: str, name: str) -> None:
    email_queue_rendered(
        to=to,
        subject=f"Hello, {name}",
        text="It is time for your exercises.",
        idempotency_key=f"tests.say_hello:{name}",
    )


def schedule_hello(name: str, due_in: timedelta) -> Job:
    return job_schedule(
        kind="tests.say_hello",
        key=f"tests.say_hello:{name}",
        due_at=timezone.now() + due_in,
        payload={"name": name, "to": f"{name.lower()}@example.com"},
    )


@pytest.mark.usefixtures("celery_beat")
def test_beat_runs_due_jobs_and_the_worker_sends_their_emails(smtp_server: SmtpServer) -> None:
    schedule_hello("Later", timedelta(hours=1))
    due = schedule_hello("Ruth", timedelta(0))

    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Hello, Ruth"
    assert received["X-RcptTo"] == "ruth@example.com"
    wait_until(lambda: Job.objects.filter(pk=due.pk, done_at__isnull=False).exists())

    schedule_hello("June", timedelta(0))
    smtp_server.wait_for(2)
    assert [m["Subject"] for m in smtp_server.messages] == ["Hello, Ruth", "Hello, June"]
    assert Job.objects.get(key="tests.say_hello:Later").done_at is None


def test_the_beat_schedule_names_registered_tasks() -> None:
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled == {
        "scheduling.run_due_jobs",
        "outbox.sweep",
        "newsletter.campaigns_continue",
        "accounts.sessions_clear_expired",
    }
    assert scheduled | {"outbox.deliver"} <= set(app.tasks)


def test_retries_back_off_less_than_the_broker_waits_before_redelivering() -> None:
    redelivery_after = app.conf.broker_transport_options.get("visibility_timeout", 3600)
    assert redelivery_after > settings.CELERY_RETRY_BACKOFF_MAX
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
