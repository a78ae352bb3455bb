"""The fan-out, batch by batch, without a worker: who gets what, once, at what rate."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter import fanout
from newsletter.campaign_selectors import campaign_progress
from newsletter.campaigns import (
    campaign_cancel,
    campaign_pause,
    campaign_resume,
    campaign_schedule,
    campaign_send,
    campaign_unschedule,
    campaign_update,
)
from newsletter.models import Campaign, Delivery, Subscriber
from practice.outbox.models import OutboxMessage
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_run_due
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make, tag_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _batches(settings: Any) -> None:
    settings.NEWSLETTER_BATCH_SIZE = 4
    settings.NEWSLETTER_RATE_PER_MINUTE = 0


def run_to_the_end(campaign: Campaign) -> None:
    while fanout.campaign_batch_run(campaign_id=campaign.pk) is not None:
        pass


def campaign_emails(campaign: Campaign) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            idempotency_key__startswith=f"newsletter:campaign:{campaign.pk}:subscriber:"
        )
    )


def test_the_audience_is_active_unpaused_subscribers_of_the_chosen_segments() -> None:
    bones, hips = tag_make("Osteoporosis"), tag_make("Hips")
    wanted = subscribers_make(3, prefix="bones", tags=[bones])
    subscribers_make(2, prefix="hips", tags=[hips])
    subscribers_make(2, prefix="gone", status=Subscriber.Status.UNSUBSCRIBED, tags=[bones])
    subscribers_make(1, prefix="pending", status=Subscriber.Status.PENDING, tags=[bones])
    resting = subscribers_make(1, prefix="resting", tags=[bones])[0]
    resting.paused = True
    resting.save()
    both = subscribers_make(1, prefix="both", tags=[bones, hips])

    campaign = campaign_send(
        campaign=campaign_make(audience_all=False, audience_tags=["osteoporosis"])
    )
    run_to_the_end(campaign)

    assert sorted(m.to for m in campaign_emails(campaign)) == sorted(
        s.email for s in [*wanted, *both]
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_each_email_has_both_parts_her_links_the_address_and_the_rfc_8058_headers(
    settings: Any,
) -> None:
    settings.SITE_URL = "https://strongbones.example"
    reader = subscribers_make(1)[0]
    campaign = campaign_send(campaign=campaign_make())
    run_to_the_end(campaign)

    [message] = campaign_emails(campaign)
    assert message.to == reader.email
    assert message.idempotency_key == f"newsletter:campaign:{campaign.pk}:subscriber:{reader.pk}"
    unsubscribe = message.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://strongbones.example/newsletter/unsubscribe/")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    archive = f"https://strongbones.example/newsletter/archive/{campaign.pk}/"
    for part in (message.text_body, message.html_body):
        assert unsubscribe.strip("<>") in part
        assert "https://strongbones.example/newsletter/preferences/" in part
        assert archive in part
        assert "Springfield, NY 10001" in part  # the practice's postal address
    assert "<h2>Walk every day</h2>" in message.html_body
    assert "<strong>walk</strong>" in message.html_body
    assert "Small steps, strong bones" in message.html_body
    assert "A brisk **walk** loads your hips." in message.text_body
    assert message.subject == "Five ways to build bone this spring"


def test_the_body_is_sanitised_and_frozen_when_sending_starts() -> None:
    subscribers_make(1)
    campaign = campaign_make(body="Hello <script>alert(1)</script> [x](javascript:alert(1))")
    campaign_send(campaign=campaign)
    campaign.refresh_from_db()

    assert "<script" not in campaign.body_html
    assert "javascript:" not in campaign.body_html
    with pytest.raises(ValidationError):
        campaign_update(campaign=campaign, body="Changed after the start")


def test_someone_who_unsubscribes_before_her_batch_is_skipped() -> None:
    readers = subscribers_make(8)
    campaign = campaign_send(campaign=campaign_make())
    assert fanout.campaign_batch_run(campaign_id=campaign.pk) == 4  # readers 0-3

    Subscriber.objects.filter(pk=readers[5].pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    Subscriber.objects.filter(pk=readers[6].pk).update(paused=True)
    run_to_the_end(campaign)

    sent_to = {m.to for m in campaign_emails(campaign)}
    assert readers[5].email not in sent_to
    assert readers[6].email not in sent_to
    assert len(sent_to) == 6
    progress = campaign_progress(campaign=campaign)
    assert (progress.recipients, progress.skipped, progress.remaining) == (8, 2, 6)
    skipped = Delivery.objects.filter(campaign=campaign, status="skipped")
    assert sorted(skipped.values_list("skipped_reason", flat=True)) == ["paused", "unsubscribed"]


def test_a_batch_run_again_after_a_crash_queues_nobody_twice() -> None:
    """A worker dies after its batch committed: running that batch again (the task is
    redelivered, or the deliveries look pending to a retry) finds the same emails."""
    subscribers_make(6)
    campaign = campaign_send(campaign=campaign_make())
    fanout.campaign_batch_run(campaign_id=campaign.pk)
    first = {m.idempotency_key: m.message_id_header for m in campaign_emails(campaign)}
    # As if the batch's delivery marks were lost but its emails were queued:
    Delivery.objects.filter(campaign=campaign).update(status="pending", message=None)

    run_to_the_end(campaign)

    again = {m.idempotency_key: m.message_id_header for m in campaign_emails(campaign)}
    assert len(again) == 6
    assert {key: again[key] for key in first} == first  # same emails, same Message-IDs
    assert Delivery.objects.filter(campaign=campaign, message__isnull=True).count() == 0


def test_the_rate_limit_counts_emails_over_the_last_minute(settings: Any) -> None:
    settings.NEWSLETTER_RATE_PER_MINUTE = 5
    settings.NEWSLETTER_BATCH_SIZE = 100
    subscribers_make(12)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        campaign = campaign_send(campaign=campaign_make())
        assert fanout.campaign_batch_run(campaign_id=campaign.pk) == 5
        assert fanout.campaign_batch_run(campaign_id=campaign.pk) == 0
        assert fanout.campaigns_to_continue() == []
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert fanout.campaign_batch_run(campaign_id=campaign.pk) == 0
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert fanout.campaigns_to_continue() == [campaign.pk]
        assert fanout.campaign_batch_run(campaign_id=campaign.pk) == 5
    with time_machine.travel(start + timedelta(seconds=122), tick=False):
        assert fanout.campaign_batch_run(campaign_id=campaign.pk) == 2
    assert len(campaign_emails(campaign)) == 12


def test_pause_stops_before_the_next_batch_and_resume_goes_on_where_it_stopped() -> None:
    subscribers_make(10)
    campaign = campaign_send(campaign=campaign_make())
    fanout.campaign_batch_run(campaign_id=campaign.pk)

    campaign_pause(campaign=campaign)
    assert fanout.campaign_batch_run(campaign_id=campaign.pk) is None
    assert len(campaign_emails(campaign)) == 4
    assert campaign_progress(campaign=campaign).remaining == 10
    with pytest.raises(ValidationError):
        campaign_pause(campaign=campaign)

    campaign_resume(campaign=campaign)
    run_to_the_end(campaign)

    emails = campaign_emails(campaign)
    assert len(emails) == len({m.to for m in emails}) == 10


def test_cancel_leaves_the_rest_unsent_and_counts_them() -> None:
    subscribers_make(10)
    campaign = campaign_send(campaign=campaign_make())
    fanout.campaign_batch_run(campaign_id=campaign.pk)

    campaign = campaign_cancel(campaign=campaign)

    assert fanout.campaign_batch_run(campaign_id=campaign.pk) is None
    progress = campaign_progress(campaign=campaign)
    assert (progress.remaining, progress.not_sent) == (4, 6)  # 4 still with the outbox
    with pytest.raises(ValidationError):
        campaign_resume(campaign=campaign)


def test_sending_to_an_empty_audience_is_refused() -> None:
    with pytest.raises(ValidationError, match="No one is in this audience"):
        campaign_send(campaign=campaign_make())


def test_a_scheduled_campaign_starts_from_its_job_row_at_its_time() -> None:
    subscribers_make(3)
    at = timezone.now() + timedelta(hours=2)
    campaign = campaign_schedule(campaign=campaign_make(), at=at)
    job = Job.objects.get(key=f"newsletter:campaign:{campaign.pk}:start")
    assert job.due_at == at

    assert jobs_run_due() == 0
    with time_machine.travel(at + timedelta(seconds=30), tick=False):
        assert jobs_run_due() == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert campaign.deliveries.count() == 3


def test_an_unscheduled_campaign_does_not_go_out() -> None:
    subscribers_make(1)
    at = timezone.now() + timedelta(hours=1)
    campaign = campaign_schedule(campaign=campaign_make(), at=at)
    campaign_unschedule(campaign=campaign)

    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        jobs_run_due()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not campaign.deliveries.exists()


def test_a_time_in_the_past_cannot_be_scheduled() -> None:
    with pytest.raises(ValidationError):
        campaign_schedule(campaign=campaign_make(), at=timezone.now() - timedelta(minutes=5))
