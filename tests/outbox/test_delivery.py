"""The outbox delivers each email exactly once, through a real worker to a real SMTP server."""

import threading
from email.utils import getaddresses
from typing import Any

import pytest
from django.db import connection, transaction

from practice.core.selectors import practice_profile
from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue
from practice.outbox.types import Attachment
from tests.fixtures.services import SmtpServer, wait_until
from tests.outbox.helpers import queue_note

pytestmark = pytest.mark.usefixtures("celery_worker")

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def subjects(smtp_server: SmtpServer) -> list[str]:
    return [str(message["Subject"]) for message in smtp_server.messages]


def test_worker_delivers_a_rendered_email_with_attachments(smtp_server: SmtpServer) -> None:
    message = email_queue(
        to="mary@example.com",
        template="test_visit",
        context={"name": "Mary O'Neil", "day": "Tuesday"},
        idempotency_key="visit:1",
        headers={"X-Practice-Topic": "visit"},
        attachments=[
            Attachment(filename="visit.ics", content=ICS, mimetype="text/calendar"),
            Attachment(filename="exercises.pdf", content=PDF, mimetype="application/pdf"),
        ],
        reply_to="therapist@example.com",
    )

    [received] = smtp_server.wait_for(1)

    practice = practice_profile()
    assert received["X-RcptTo"] == "mary@example.com"
    assert received["To"] == "mary@example.com"
    assert received["Reply-To"] == "therapist@example.com"
    assert practice.name in received["From"]
    assert received["Subject"] == "Your visit on Tuesday & what to bring"
    assert received["X-Practice-Topic"] == "visit"

    plain, rich = received.get_body(("plain",)), received.get_body(("html",))
    assert plain is not None
    assert rich is not None
    text = plain.get_content()
    assert text.startswith("Dear Mary O'Neil,\n\nWe look forward to seeing you on Tuesday.")
    assert 'Please bring "comfy" shoes & a bottle of water.' in text
    assert practice.name in text
    assert practice.address.splitlines()[0] in text
    html = rich.get_content()
    assert "<h1>Dear Mary O&#x27;Neil,</h1>" in html
    assert practice.address.splitlines()[0] in html

    attachments = {a.get_filename(): a for a in received.iter_attachments()}
    assert attachments["visit.ics"].get_content_type() == "text/calendar"
    assert attachments["visit.ics"].get_content() == ICS.decode().replace("\r\n", "\n")
    assert attachments["exercises.pdf"].get_content_type() == "application/pdf"
    assert attachments["exercises.pdf"].get_content() == PDF

    sent = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").first(),
        what="the email to be marked sent",
    )
    assert received["Message-ID"] == sent.message_id_header
    assert sent.attempts == 1
    assert sent.sent_at is not None


# The second name is short enough to stay one encoded word: where a long one is folded,
# Python's header parser (unlike mail readers) keeps a stray space.
@pytest.mark.parametrize(
    "name", ["Strong Bones PT, LLC", 'Zoë\'s "Bone" Clinic <Physio>; Pilates & Co.']
)
def test_the_sender_is_the_practice_by_its_name_whatever_the_name_holds(
    smtp_server: SmtpServer, name: str
) -> None:
    profile = practice_profile()
    profile.name = name
    profile.email = "front.desk@bones-clinic.example"
    profile.save()

    message = queue_note("from-the-practice")

    [received] = smtp_server.wait_for(1)
    [sender] = received["From"].addresses
    assert sender.display_name == name
    assert sender.addr_spec == "front.desk@bones-clinic.example"
    assert getaddresses([str(received["From"])]) == [(name, "front.desk@bones-clinic.example")]
    assert received["Message-ID"] == message.message_id_header
    assert message.message_id_header.endswith("@bones-clinic.example>")


def test_a_sender_set_in_the_environment_is_used_as_it_is(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_FROM_EMAIL = '"Strong Bones, Mail" <mail@sending.example>'

    message = queue_note("from-the-environment")

    [received] = smtp_server.wait_for(1)
    [sender] = received["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Strong Bones, Mail", "mail@sending.example")
    assert message.message_id_header.endswith("@sending.example>")


def test_an_email_without_an_html_template_is_plain_text(smtp_server: SmtpServer) -> None:
    email_queue(
        to="rose@example.com",
        template="test_note",
        context={"name": "Rose"},
        idempotency_key="note:rose",
    )

    [received] = smtp_server.wait_for(1)

    assert received["Subject"] == "A note for Rose"
    assert received.get_content_type() == "text/plain"
    assert received.get_content().startswith("Hello Rose <3\n")


def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent(
    smtp_server: SmtpServer,
) -> None:
    class Abandon(Exception):
        pass

    def queue_then_abandon() -> None:
        with transaction.atomic():
            queue_note("rolled-back")
            raise Abandon

    with pytest.raises(Abandon):
        queue_then_abandon()

    queue_note("committed")

    smtp_server.wait_for(1)
    assert subjects(smtp_server) == ["Note committed"]
    assert not OutboxMessage.objects.filter(idempotency_key="rolled-back").exists()


def test_the_same_idempotency_key_gives_one_row_and_one_email(smtp_server: SmtpServer) -> None:
    first = email_queue(
        to="mary@example.com",
        template="test_note",
        context={"name": "Mary"},
        idempotency_key="welcome:mary",
    )
    smtp_server.wait_for(1)
    again = email_queue(
        to="mary@example.com",
        template="test_note",
        context={"name": "Mary, again"},
        idempotency_key="welcome:mary",
    )
    also = queue_note("welcome:mary")
    queue_note("afterwards")

    smtp_server.wait_for(2)
    assert again.pk == first.pk == also.pk
    assert OutboxMessage.objects.filter(idempotency_key="welcome:mary").count() == 1
    assert subjects(smtp_server) == ["A note for Mary", "Note afterwards"]


def test_two_requests_racing_with_the_same_key_make_one_email(smtp_server: SmtpServer) -> None:
    """The second insert waits on the first transaction, then returns its row."""
    inserted, commit = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def first_request() -> None:
        try:
            with transaction.atomic():
                results["first"] = queue_note("race")
                inserted.set()
                commit.wait(10)
        finally:
            connection.close()

    def second_request() -> None:
        try:
            results["second"] = queue_note("race")
        except Exception as exc:
            results["second"] = exc
        finally:
            connection.close()

    first = threading.Thread(target=first_request)
    first.start()
    assert inserted.wait(10)
    second = threading.Thread(target=second_request)
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second insert should wait for the first transaction"
    commit.set()
    first.join(10)
    second.join(10)

    assert results["second"].pk == results["first"].pk
    queue_note("afterwards")
    smtp_server.wait_for(2)
    assert subjects(smtp_server) == ["Note race", "Note afterwards"]


def test_mail_server_down_then_up_delivers_exactly_once(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BACKOFF = 0.4
    smtp_server.stop()

    message = queue_note("while-down")

    failing = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, attempts__gte=2).first(),
        what="two failed attempts",
    )
    assert failing.status == "queued"
    assert "refused" in failing.last_error.lower()
    assert failing.next_attempt_at is not None

    smtp_server.start()
    [received] = smtp_server.wait_for(1)
    queue_note("afterwards")
    smtp_server.wait_for(2)

    assert subjects(smtp_server) == ["Note while-down", "Note afterwards"]
    sent = OutboxMessage.objects.get(pk=message.pk)
    assert sent.status == "sent"
    assert received["Message-ID"] == sent.message_id_header == message.message_id_header
    assert sent.attempts >= 3
    assert sent.last_error == ""


def test_after_the_last_attempt_the_email_is_marked_failed(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_RETRY_BACKOFF = 0.2
    settings.OUTBOX_MAX_ATTEMPTS = 3
    smtp_server.stop()

    message = queue_note("doomed")

    failed = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="failed").first(),
        what="the email to be marked failed",
    )
    assert failed.attempts == 3
    assert "refused" in failed.last_error.lower()
    assert failed.next_attempt_at is None
