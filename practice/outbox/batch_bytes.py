"""A batch of look-alike emails built into bytes at the cost of one.

Building an email with Django's ``EmailMultiAlternatives`` costs several milliseconds
(header folding, the boundary search, the charset handling), more than the SMTP
conversation with a nearby server. The emails of a newsletter batch differ only in their
recipient, Message-ID, date, per-recipient headers (``List-Unsubscribe``) and the links in
their bodies; their sender, subject and structure are the same. So Django builds one
*skeleton* per batch, with markers where these go, and each email is the skeleton with its
own values put in. The bytes are exactly those Django would build (a test compares them),
except that the emails of a batch share one MIME boundary.

Only emails that can be built that way exactly take this path: a text and an HTML part
(a newsletter's), no attachments, header
values that Django would not encode (ASCII, one line), bodies whose lines fit the 998-byte limit
(Django would switch to quoted-printable otherwise) and that do not contain the boundary.
Any other email is built by Django as usual (``EmailBytes.build`` answers None).
"""

import re
from dataclasses import dataclass, field
from email.header import Header
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, sanitize_address

from practice.outbox.models import OutboxMessage

_TAG = "b7e4c1"
_TO = f"to-{_TAG}@outbox.invalid"
_MESSAGE_ID = f"<message-id-{_TAG}@outbox.invalid>"
_DATE = f"date-{_TAG}"
_TEXT = f"text-{_TAG}"
_HTML = f"html-{_TAG}"
#: The header line length up to which Django (the stdlib's compat32 policy) never folds.
_FOLD_AT = 78
_NEWLINES = re.compile(r"\r\n|\r|\n")
_ENCODING = "utf-8"
_SET_BY_DJANGO = {"from", "to", "cc", "reply-to", "date", "message-id"}
#: Where ``email.header.Header`` may fold an ASCII value: white space and its split chars.
_FOLD_POINTS = re.compile(r"[ \t;,]")


@dataclass(frozen=True)
class _Skeleton:
    """Literal byte chunks with the name of the slot between each two."""

    chunks: tuple[bytes, ...]
    slots: tuple[str, ...]
    boundary: str


@dataclass
class EmailBytes:
    """Builds the emails of one batch; keeps one skeleton per kind of email."""

    _skeletons: dict[tuple[object, ...], _Skeleton | None] = field(default_factory=dict)
    _senders: dict[str, str] = field(default_factory=dict)

    def build(self, message: OutboxMessage) -> tuple[str, str, bytes] | None:
        """``(envelope sender, envelope recipient, message bytes)``, or None when the email
        must be built by Django (see the module's docstring)."""
        if not (message.text_body and message.html_body) or has_attachments(message):
            return None
        to = _plain_address(message.to)
        headers = {"Message-ID": message.message_id_header, **message.headers}
        if to is None or not all(_plain_header(n, v) for n, v in headers.items()):
            return None
        if _SET_BY_DJANGO & {name.lower() for name in message.headers}:
            return None
        key = (message.sender, message.subject, message.reply_to, bool(message.html_body))
        key += tuple(message.headers)  # their names, in their order
        if key not in self._skeletons:
            self._skeletons[key] = _skeleton_build(message)
        skeleton = self._skeletons[key]
        if skeleton is None:
            return None
        bodies = {_TEXT: message.text_body, _HTML: message.html_body}
        values: dict[str, bytes] = {}
        for slot, body in bodies.items():
            if slot in skeleton.slots:
                encoded = _body(body, skeleton.boundary)
                if encoded is None:
                    return None
                values[slot] = encoded
        values[_TO] = to.encode()
        # A Message-ID under a long domain is folded like any other header.
        values[_MESSAGE_ID] = _header_value("Message-ID", message.message_id_header)
        values[_DATE] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME).encode()
        for number, (name, value) in enumerate(message.headers.items()):
            values[_header_mark(number)] = _header_value(name, value)
        parts = [skeleton.chunks[0]]
        for slot, chunk in zip(skeleton.slots, skeleton.chunks[1:], strict=True):
            parts += (values[slot], chunk)
        if message.sender not in self._senders:
            self._senders[message.sender] = sanitize_address(message.sender, _ENCODING)
        return self._senders[message.sender], to, b"".join(parts)


def has_attachments(message: OutboxMessage) -> bool:
    """Whether the email has attachments: the batch's lease query says so in one go
    (``has_attachments``, annotated), else its attachments are looked at."""
    known: bool | None = getattr(message, "has_attachments", None)
    return bool(message.attachments.all()) if known is None else known


def _header_mark(number: int) -> str:
    return f"header-{number}-{_TAG}"


def _skeleton_build(message: OutboxMessage) -> _Skeleton | None:
    """Django's bytes for an email like ``message`` with markers for what differs."""
    headers = {name: _header_mark(number) for number, name in enumerate(message.headers)}
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=_TEXT,
        from_email=message.sender,
        to=[_TO],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Date": _DATE, **headers, "Message-ID": _MESSAGE_ID},  # Django's order
    )
    if message.html_body:
        email.attach_alternative(_HTML, "text/html")
    mime = email.message()
    raw = mime.as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    boundary = mime.get_boundary() if message.html_body else ""
    marks = [_TO, _MESSAGE_ID, _DATE, *headers.values()]
    bodies = [_TEXT, _HTML] if message.html_body else [_TEXT]
    # A body's marker takes its Content-Transfer-Encoding with it (7bit or 8bit per email).
    pattern = "|".join(
        [re.escape(mark) for mark in marks] + [rf"7bit\r\n\r\n{body}" for body in bodies]
    )
    pieces = re.split(f"({pattern})".encode(), raw)
    chunks, found = tuple(pieces[0::2]), [piece.decode() for piece in pieces[1::2]]
    slots = tuple(slot.rpartition("\n")[2] for slot in found)
    if sorted(slots) != sorted(marks + bodies) or boundary is None:
        return None  # Django built it some other way: let Django build every one
    lines = [f"\r\n{name}: {mark}\r\n".encode() for name, mark in headers.items()]
    if not all(line in raw for line in lines):
        return None  # a long name moved its marker to a line of its own, not its value
    return _Skeleton(chunks=chunks, slots=slots, boundary=boundary)


def _body(body: str, boundary: str) -> bytes | None:
    """The transfer encoding, a blank line and the body, as Django writes a short-lined
    UTF-8 body; None when Django would write it otherwise."""
    if boundary and boundary in body:
        return None
    # Every line end becomes CRLF (a body without a CR has only LFs to turn).
    text = _NEWLINES.sub("\r\n", body) if "\r" in body else body.replace("\n", "\r\n")
    data = text.encode(_ENCODING, errors="strict")
    limit = RFC5322_EMAIL_LINE_LENGTH_LIMIT
    if len(data) > limit and max(map(len, data.split(b"\r\n"))) > limit:
        return None  # Django switches to quoted-printable
    encoding = b"7bit" if data.isascii() else b"8bit"
    return encoding + b"\r\n\r\n" + data


#: A bare ASCII address that Django's ``sanitize_address`` gives back as it is: a dot-atom
#: local part and a domain of LDH labels (a test checks they agree).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_BARE_ADDRESS = re.compile(_ATOM + r"(?:\." + _ATOM + ")*@" + _LABEL + r"(?:\." + _LABEL + ")*")


def _plain_address(address: str) -> str | None:
    """The recipient as Django puts it in the To header and the envelope, when that is
    the bare ASCII address."""
    if len(address) <= _FOLD_AT - 4 and _BARE_ADDRESS.fullmatch(address):
        return address  # what the parse below would conclude, at a hundredth of the cost
    try:
        sanitized = sanitize_address(address, _ENCODING)
    except ValueError:
        return None
    if sanitized != address or not address.isascii() or len(address) > _FOLD_AT - 4:
        return None
    if any(char in address for char in ' <>"(),;') or not address.isprintable():
        return None
    return sanitized


def _plain_header(name: str, value: str) -> bool:
    """Whether Django writes the header's value unencoded: ASCII on one line."""
    return isinstance(value, str) and value.isascii() and value.isprintable()


def _header_value(name: str, value: str) -> bytes:
    """The value as the stdlib's compat32 policy writes it under Django: as it is when the
    line fits, else folded (the stdlib's own folding, so exactly the same)."""
    if len(name) + 2 + len(value) <= _FOLD_AT:
        return value.encode()
    if not _FOLD_POINTS.search(value):
        # Nowhere to fold (a List-Unsubscribe URL): the stdlib moves it whole to a
        # continuation line (the bytes tests compare with Django's).
        return b"\r\n " + value.encode()
    return Header(value, header_name=name).encode(linesep="\r\n", maxlinelen=_FOLD_AT).encode()
