"""The batch path builds each email from one skeleton per batch: its bytes must be exactly
those Django builds for it (up to the MIME boundary and the Date), and an email the
skeleton cannot build exactly is left to Django."""

import email
import re
from email import policy

import pytest
from django.core.mail.message import sanitize_address

from practice.outbox.batch_bytes import EmailBytes
from practice.outbox.delivery import message_email
from practice.outbox.models import OutboxMessage
from practice.outbox.services import emails_queue_rendered
from practice.outbox.types import RenderedEmail

pytestmark = pytest.mark.django_db

UNSUBSCRIBE = (
    "<https://practice.example/newsletter/unsubscribe/"
    "eyJzIjoxMjM0LCJhIjoiYWJjZGVmZ2hpams1MjM0In0:1tPq2r:Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6/>"
)


def queued(**overrides: object) -> OutboxMessage:
    fields: dict[str, object] = {
        "to": "reader@example.com",
        "subject": "Three small habits",
        "text": "Hello,\n\nWalk 20 minutes most days.\n",
        "html": "<p>Hello,</p>\n<p>Walk 20 minutes most days.</p>\n",
        "idempotency_key": "k",
        "headers": {"List-Unsubscribe": UNSUBSCRIBE, "List-Unsubscribe-Post": "One-Click"},
    }
    fields.update(overrides)
    [message] = emails_queue_rendered(emails=[RenderedEmail(**fields)])  # type: ignore[arg-type]
    return OutboxMessage.objects.prefetch_related("attachments").get(pk=message.pk)


def normalised(data: bytes) -> bytes:
    """The bytes with the boundary and the Date made comparable."""
    parsed = email.message_from_bytes(data, policy=policy.compat32)
    boundary = parsed.get_boundary()
    if boundary:
        data = data.replace(boundary.encode(), b"BOUNDARY")
    lines = [line for line in data.split(b"\r\n") if not line.startswith(b"Date: ")]
    return b"\r\n".join(lines)


def django_bytes(message: OutboxMessage) -> bytes:
    return message_email(message).message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"subject": "Starke Knochen: Übungen für jeden Tag", "text": "Grüße aus der Praxis\n"},
        {"text": "Only text, ending without a newline"},
        {"text": "Windows\r\nline ends\r\nand old Mac\rones\n", "html": "<p>é</p>\r\n"},
        {"headers": {}},
        {"headers": {"X-Campaign": "spring letter, " + "bones " * 20}},
        # A value with nowhere to fold, just fitting, just not, and far too long for a line.
        {"headers": {"List-Unsubscribe": "<https://practice.example/" + "a" * 33 + ">"}},
        {"headers": {"List-Unsubscribe": "<https://practice.example/" + "a" * 34 + ">"}},
        {"headers": {"List-Unsubscribe": "<https://practice.example/" + "a:b" * 90 + ">"}},
    ],
    ids=[
        *("ascii", "utf-8", "no final newline", "line ends", "no headers", "folded header"),
        *("unfoldable fits", "unfoldable just too long", "unfoldable far too long"),
    ],
)
def test_the_bytes_are_django_s(overrides: dict[str, object]) -> None:
    builder = EmailBytes()
    for number, to in enumerate(["reader@example.com", "other.reader@example.org"]):
        message = queued(**{**overrides, "to": to, "idempotency_key": f"k{number}"})
        built = builder.build(message)
        assert built is not None
        sender, recipient, data = built
        assert (sender, recipient) == (sanitize_address(message.sender, "utf-8"), to)
        assert normalised(data) == normalised(django_bytes(message))
        parsed = email.message_from_bytes(data, policy=policy.default)
        assert parsed["Message-ID"] == message.message_id_header
        assert parsed["Date"]
    assert len(builder._skeletons) == 1  # one skeleton for the batch


@pytest.mark.parametrize(
    "overrides",
    [
        {"text": "x" * 1200},  # Django encodes quoted-printable
        {"html": ""},  # a single part: its headers are not laid out like a multipart's
        {"to": "Reader Name <reader@example.com>"},
        {"headers": {"X-Note": "Grüße"}},  # encoded
        {"headers": {"Date": "Mon, 1 Jan 2024 00:00:00 -0000"}},
    ],
    ids=["long line", "text only", "display name", "non-ascii header", "own date"],
)
def test_what_the_skeleton_cannot_build_exactly_is_left_to_django(
    overrides: dict[str, object],
) -> None:
    assert EmailBytes().build(queued(**overrides)) is None


def test_a_body_holding_the_boundary_is_left_to_django() -> None:
    builder = EmailBytes()
    first = queued(idempotency_key="first")
    assert builder.build(first) is not None
    [skeleton] = builder._skeletons.values()
    assert skeleton is not None
    tricky = queued(idempotency_key="second", text=f"--{skeleton.boundary}\n")
    assert builder.build(tricky) is None
    assert re.search(rb"Message-ID: <", django_bytes(tricky))


@pytest.mark.parametrize(
    "address",
    [
        "reader@example.com",
        "A.B+news@Sub.Example.COM",
        "o'neil@example.ie",
        "we{ird}|~!#$%&*/=?^_`-@example.co",
        "x@" + "a" * 63 + ".com",
        "a..b@example.com",
        "x@-bad.example.com",
        ".dot@example.com",
        "zoë@example.de",
        "Ann <ann@example.com>",
        "with space@example.com",
        "x@" + "a" * 64 + ".com",
    ],
)
def test_a_recipient_is_taken_as_it_is_only_when_django_would_write_it_so(address: str) -> None:
    message = queued(to=address)
    built = EmailBytes().build(message)
    try:
        django_writes = sanitize_address(address, "utf-8")
    except ValueError:
        django_writes = None
    if built is not None:
        assert built[1] == django_writes == address
        assert f"\r\nTo: {address}\r\n".encode() in built[2]
    else:
        assert django_writes != address or not address.isascii() or " " in address


@pytest.mark.parametrize("value", ["", "short", "<https://practice.example/u/" + "t" * 60 + ">"])
def test_a_header_whose_name_leaves_no_room_on_its_line_is_written_as_django_writes_it(
    value: str,
) -> None:
    """The skeleton's marker is longer than many values: under a long name Django folds the
    marker to a line of its own where it would not fold the value."""
    message = queued(headers={"X-Practice-Campaign-" + "Segment-" * 6: value})
    built = EmailBytes().build(message)
    if built is not None:
        assert normalised(built[2]) == normalised(django_bytes(message))


def test_a_message_id_too_long_for_its_line_is_folded_as_django_folds_it() -> None:
    """A Message-ID is made under the practice's own domain (``make_msgid``): a long domain
    makes it longer than the 78 characters Django writes on a line."""
    builder = EmailBytes()
    for number in range(2):
        message = queued(idempotency_key=f"k{number}")
        message.message_id_header = (
            f"<179600481800.19448.1562050581083191846{number}@strongbonesphysicaltherapy.example>"
        )
        built = builder.build(message)
        assert built is not None
        assert normalised(built[2]) == normalised(django_bytes(message))
