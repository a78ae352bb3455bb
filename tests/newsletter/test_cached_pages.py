"""The guide page and the sign-up form live on cached public pages, and still work there."""

import pytest
from django.test import Client
from django.urls import reverse

from newsletter.models import LeadMagnet, Subscriber
from practice.core.page_cache import STATUS_HEADER
from tests.newsletter.helpers import guide_create, signup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/guide/", "/guide/check-your-email/", "/guide/link-sent/"])
def test_pages_with_the_sign_up_form_are_served_from_the_cache(url: str) -> None:
    assert Client().get(url)[STATUS_HEADER] == "stored"
    cached = Client().get(url)
    assert cached[STATUS_HEADER] == "hit"
    assert "csrfmiddlewaretoken" not in cached.content.decode()


def test_a_sign_up_from_a_cached_page_works() -> None:
    Client().get("/guide/")
    assert Client().get("/guide/")[STATUS_HEADER] == "hit"
    assert signup(Client(enforce_csrf_checks=True)).status_code == 302
    assert Subscriber.objects.filter(email="ada@example.com").exists()


def test_editing_the_guide_in_the_admin_shows_on_the_guide_page_at_once(
    owner_client: Client,
) -> None:
    guide = guide_create()
    Client().get("/guide/")
    assert Client().get("/guide/")[STATUS_HEADER] == "hit"
    response = owner_client.post(
        reverse("admin:newsletter_leadmagnet_change", args=[guide.pk]),
        {
            "title": "Strong Bones, Simple Steps",
            "description": "A new edition.",
            "filename": guide.filename,
            "active": "on",
            "cover_image_alt": "",
        },
    )
    assert response.status_code == 302
    assert LeadMagnet.objects.get().title == "Strong Bones, Simple Steps"
    assert "Strong Bones, Simple Steps" in Client().get("/guide/").content.decode()
