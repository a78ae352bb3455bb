from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    """A file to attach to an outgoing email, e.g. an .ics invite or a PDF handout."""

    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class RenderedEmail:
    """One already rendered email for ``emails_queue_rendered`` (queued with many others)."""

    to: str
    subject: str
    text: str
    html: str
    idempotency_key: str
    headers: dict[str, str] = field(default_factory=dict)
