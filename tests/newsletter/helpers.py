"""Shared steps of the newsletter tests: the guide on file, sign-ups, links from the outbox."""

import re
from functools import cache
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from newsletter.guide_pdf import GUIDE_FILENAME, GUIDE_TITLE, guide_pdf_render
from newsletter.models import LeadMagnet
from practice.outbox.models import OutboxMessage

UA = "Mozilla/5.0 (test)"


@cache
def guide_pdf() -> bytes:
    """The demo guide, rendered once per test run (WeasyPrint takes a second or two)."""
    return guide_pdf_render()


def guide_create() -> LeadMagnet:
    guide = LeadMagnet(title=GUIDE_TITLE, filename=GUIDE_FILENAME, active=True)
    guide.pdf.save(GUIDE_FILENAME, ContentFile(guide_pdf()), save=False)
    guide.save()
    return guide


def signup(
    client: Client | None = None,
    *,
    email: str = "ada@example.com",
    first_name: str = "Ada",
    ip: str = "203.0.113.7",
    **extra: str,
):
    data = {
        "email": email,
        "first_name": first_name,
        "consent": "on",
        "consent_version": "2026-11",
        "source": "article:weak-glutes",
        **extra,
    }
    return (client or Client()).post(
        reverse("newsletter:signup"), data, REMOTE_ADDR=ip, HTTP_USER_AGENT=UA
    )


def emails_to(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=address).order_by("created_at", "pk"))


def link_in(message: OutboxMessage, name: str) -> str:
    """The path of the first link in the email's text that goes to URL ``name``'s prefix."""
    prefix = reverse(name, kwargs={"token": "X"}).rsplit("X", 1)[0]
    for url in re.findall(r"https?://\S+", message.text_body):
        path = urlsplit(url).path
        if path.startswith(prefix):
            return path
    raise AssertionError(f"no {name} link in {message.text_body!r}")
