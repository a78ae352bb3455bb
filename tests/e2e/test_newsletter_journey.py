"""A visitor signs up on the guide page, confirms from the email, and downloads the guide.

Everything real: Chromium, the live server, a Celery worker processing the sign-up and
delivering the outbox, an SMTP server receiving the emails, pypdf reading the download.
"""

import io
import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pypdf
import pytest
from playwright.sync_api import Page, expect

from newsletter.models import GuideDownload, Subscriber
from tests.fixtures.services import SmtpServer
from tests.newsletter.helpers import guide_create

pytestmark = pytest.mark.django_db(transaction=True)


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def link(text: str, prefix: str) -> str:
    for url in re.findall(r"https?://\S+", text):
        if urlsplit(url).path.startswith(prefix):
            return urlsplit(url).path
    raise AssertionError(f"no {prefix} link in {text!r}")


def test_from_the_sign_up_form_through_the_confirmation_email_to_the_pdf(
    page: Page, smtp_server: SmtpServer, celery_worker: object
) -> None:
    guide_create()
    page.goto("/guide/")
    form = page.locator("main form").first
    form.get_by_label("Your email address").fill("Grace.Hopper@example.com")
    form.get_by_label("Your first name (optional)").fill("Grace")
    form.get_by_label("Yes, email me the free guide").check()
    form.get_by_role("button", name="Send me the free guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Almost there: check your email")

    (confirmation,) = smtp_server.wait_for(1)
    assert confirmation["To"] == "grace.hopper@example.com"
    assert confirmation.get_body(preferencelist=("html",)) is not None
    page.goto(link(body(confirmation), "/guide/confirm/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have successfully subscribed!")
    assert "/confirm/" not in page.url  # the token left the address bar

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the guide (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "8-lifestyle-changes-for-better-bone-health.pdf"
    path = download.path()
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "8 Lifestyle Changes for Better Bone Health" in text
    assert "Make your home fall-safe" in text

    welcome = smtp_server.wait_for(2)[1]
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(welcome["List-Unsubscribe"]).strip().startswith("<http")  # may be folded
    assert "/newsletter/preferences/" in body(welcome)
    response = page.request.get(link(body(welcome), "/guide/download/"))  # the email's link too
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consents.get().source == "guide"
    assert GuideDownload.objects.filter(subscriber=subscriber).count() == 2
