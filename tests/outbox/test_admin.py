"""The practice owner reads the outbox in the admin: what was sent, why it failed; and resends."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue, email_queue_rendered, messages_resend
from practice.outbox.types import Attachment
from tests.fixtures.services import SmtpServer, wait_until
from tests.outbox.helpers import queue_note

CHANGELIST = reverse("admin:outbox_outboxmessage_changelist")


@pytest.mark.usefixtures("celery_worker")
def test_a_failed_email_is_resent_from_the_admin(
    smtp_server: SmtpServer, settings: Any, owner_client: Client
) -> None:
    settings.OUTBOX_RETRY_BACKOFF = 0.2
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.stop()
    message = queue_note("resend-me", to="june@example.com")
    failed = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="failed").first(),
        what="the email to be marked failed",
    )

    page = owner_client.get(CHANGELIST, {"status__exact": "failed"})
    assert page.status_code == 200
    assert "june@example.com" in page.text
    assert "Connection refused" in page.text

    smtp_server.start()
    response = owner_client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
    )

    assert "1 email(s) queued to be sent again." in response.text
    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Note resend-me"
    sent = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").first(),
        what="the email to be marked sent",
    )
    assert sent.attempts == 1
    assert received["Message-ID"] == sent.message_id_header != failed.message_id_header


@pytest.mark.usefixtures("celery_worker")
def test_resending_a_sent_email_sends_it_again_under_a_new_message_id(
    smtp_server: SmtpServer, owner_client: Client
) -> None:
    sent = queue_note("sent-once")
    smtp_server.wait_for(1)
    wait_until(lambda: OutboxMessage.objects.filter(pk=sent.pk, status="sent").exists())

    response = owner_client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [sent.pk]}, follow=True
    )

    assert "1 email(s) queued to be sent again." in response.text
    first, second = smtp_server.wait_for(2)
    # A mailbox drops a message whose Message-ID it has seen, so a resend needs a new one.
    assert first["Message-ID"] == sent.message_id_header
    assert second["Message-ID"] != first["Message-ID"]
    resent = wait_until(
        lambda: OutboxMessage.objects.filter(
            pk=sent.pk, status="sent", message_id_header=second["Message-ID"]
        ).first(),
        what="the resent email to be marked sent with its new Message-ID",
    )
    assert resent.message_id_header.endswith("@strongbones.example>")


@pytest.mark.django_db
def test_owner_read_an_email_but_cannot_edit_add_or_delete(owner_client: Client) -> None:
    message = email_queue(
        to="ivy@example.com",
        template="test_visit",
        context={"name": "Ivy", "day": "Friday"},
        idempotency_key="visit:ivy",
        attachments=[
            Attachment(filename="visit.ics", content=b"BEGIN:VCALENDAR", mimetype="text/calendar")
        ],
    )

    listing = owner_client.get(CHANGELIST, {"q": "ivy@"})
    assert listing.status_code == 200
    assert "Your visit on Friday" in listing.text
    assert reverse("admin:outbox_outboxmessage_add") not in listing.text

    detail = owner_client.get(reverse("admin:outbox_outboxmessage_change", args=[message.pk]))
    assert detail.status_code == 200
    assert "We look forward to seeing you on Friday." in detail.text
    assert "visit.ics" in detail.text
    assert 'name="subject"' not in detail.text
    assert 'name="text_body"' not in detail.text

    post = owner_client.post(
        reverse("admin:outbox_outboxmessage_change", args=[message.pk]),
        {"subject": "Changed", "to": "someone@example.com"},
    )
    assert post.status_code == 403
    delete = owner_client.get(reverse("admin:outbox_outboxmessage_delete", args=[message.pk]))
    assert delete.status_code == 403
    assert (
        OutboxMessage.objects.get(pk=message.pk).subject == "Your visit on Friday & what to bring"
    )


@pytest.mark.usefixtures("celery_worker")
def test_a_private_link_reaches_her_but_never_staff_and_is_erased_once_sent(
    smtp_server: SmtpServer, owner_client: Client
) -> None:
    link = "https://practice.example/accounts/password/reset/key/secret-token/"
    message = email_queue_rendered(
        to="iris@example.com",
        subject="Choose a new password",
        text=f"Open {link}",
        html=f'<a href="{link}">Choose a new password</a>',
        idempotency_key="reset:iris",
        private=True,
    )
    detail_url = reverse("admin:outbox_outboxmessage_change", args=[message.pk])
    assert "secret-token" not in owner_client.get(detail_url).text, "hidden while queued"

    [received] = smtp_server.wait_for(1)
    plain = received.get_body(("plain",))
    assert plain is not None
    assert link in plain.get_content()
    wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").first(),
        what="the email to be marked sent",
    )
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert "secret-token" not in stored.text_body + stored.html_body
    page = owner_client.get(detail_url).text
    assert "secret-token" not in page
    assert "Hidden: this email holds a private link" in page

    response = owner_client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [message.pk]}, follow=True
    )
    assert "cannot be sent again" in response.text
    assert OutboxMessage.objects.get(pk=message.pk).status == "sent"
    assert len(smtp_server.messages) == 1


@pytest.mark.usefixtures("celery_worker")
def test_a_private_email_that_could_not_be_sent_is_erased_and_not_sent_again(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BACKOFF = 0.2
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.stop()
    link = "https://practice.example/accounts/password/reset/key/secret-token/"
    message = email_queue_rendered(
        to="iris@example.com",
        subject="Choose a new password",
        text=f"Open {link}",
        html=f'<a href="{link}">Choose a new password</a>',
        idempotency_key="reset:iris",
        private=True,
    )

    failed = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="failed").first(),
        what="the email to be marked failed",
    )

    assert "secret-token" not in failed.text_body + failed.html_body
    assert failed.content_erased
    smtp_server.start()
    assert messages_resend(message_ids=[message.pk]) == 0
    assert OutboxMessage.objects.get(pk=message.pk).status == "failed"
    assert smtp_server.messages == []
