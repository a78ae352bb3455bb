from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """A file to attach to an outgoing email, e.g. an .ics invite or a PDF handout."""

    filename: str
    content: bytes
    mimetype: str
