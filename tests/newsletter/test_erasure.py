"""Erasure on request leaves nothing that identifies her: not her subscriber row, not the
emails queued or sent to her, not her campaign deliveries, not the admin's history of her."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter import services
from newsletter.campaigns import campaign_send
from newsletter.fanout import campaign_batch_run
from newsletter.models import Delivery, Subscriber
from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue_rendered, messages_erase
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make

pytestmark = pytest.mark.django_db

ADDRESS = "ada.lovelace@example.com"


def rows_holding(text: str) -> dict[str, int]:
    """Every table with a row whose text holds ``text`` (PostgreSQL casts a row to text)."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" AS r WHERE r::text ILIKE %s',  # noqa: S608
                [f"%{text}%"],
            )
            (count,) = cursor.fetchone()
            if count:
                found[table] = count
    return found


def test_erasure_leaves_no_row_anywhere_that_holds_her_address(owner) -> None:
    ada = Subscriber.objects.create(
        email=ADDRESS,
        first_name="Ada",
        status=Subscriber.Status.ACTIVE,
        confirmed_at=timezone.now(),
    )
    (rose,) = subscribers_make(1, prefix="rose")
    services.guide_link_send(subscriber=ada)  # a private email, still queued
    campaign = campaign_send(campaign=campaign_make())
    campaign_batch_run(campaign_id=campaign.pk)  # her newsletter, with the outbox
    OutboxMessage.objects.filter(to=ADDRESS, private=False).update(status="sent")
    LogEntry.objects.create(  # staff once corrected her name in the admin
        user=owner,
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(ada.pk),
        object_repr=str(ada),
        action_flag=CHANGE,
        change_message="Changed first name.",
    )
    # She is also a patient: the practice's own emails to her are not the newsletter's.
    email_queue_rendered(to=ADDRESS, subject="Your visit", text="See you.", idempotency_key="visit")
    assert rows_holding(ADDRESS) == {  # the check sees her where she is
        "django_admin_log": 1,
        "newsletter_subscriber": 1,
        "outbox_outboxmessage": 3,
    }

    services.subscriber_erase(subscriber=ada)

    assert rows_holding(ADDRESS) == {"outbox_outboxmessage": 1}
    assert OutboxMessage.objects.get(to=ADDRESS).idempotency_key == "visit"
    assert not Delivery.objects.filter(subscriber_id=ada.pk).exists()
    # Everyone else's newsletter is untouched.
    assert OutboxMessage.objects.filter(to=rose.email).count() == 1
    assert Delivery.objects.filter(subscriber=rose, status="queued").count() == 1


def test_erasure_finds_her_emails_through_the_recipient_index() -> None:
    """The outbox holds every email the practice ever sent; erasure must not read it all.

    The query ``messages_erase`` runs (captured as executed, then EXPLAINed) uses
    ``outbox_to_upper``, the index of ``UPPER("to")`` that ``to__iexact`` compares.
    """
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            idempotency_key=f"newsletter:welcome:{n}",
            sender="practice@example.com",
            to=f"reader{n}@example.com",
            subject="Welcome",
            text_body="...",
            message_id_header=f"<{n}@example.com>",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "outbox_outboxmessage"')
    with CaptureQueriesContext(connection) as queries:
        assert messages_erase(to="Reader7@Example.com", idempotency_key_prefix="newsletter:") == 1
    (search,) = [q["sql"] for q in queries.captured_queries if "UPPER" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "outbox_to_upper" in plan, plan
    assert "Seq Scan on outbox_outboxmessage" not in plan, plan
