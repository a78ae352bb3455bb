import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from practice.accounts.models import TherapistProfile, User
from practice.core.models import PracticeProfile
from practice.core.selectors import practice_profile

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/privacy/",
    "/consults/book/",
    "/guide/",
    "/articles/",
    "/exercises/",
]


class Outline(HTMLParser):
    """Collects what a screen-reader user relies on: landmarks, headings and links."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.h1_count = 0
        self.nav_labels: list[str] = []
        self.main_ids: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "nav":
            self.nav_labels.append(attributes.get("aria-label") or "")
        elif tag == "main":
            self.main_ids.append(attributes.get("id") or "")
        elif tag == "a":
            self._href, self._text = attributes.get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join("".join(self._text).split()), self._href))
            self._href = None

    def hrefs_named(self, name: str) -> list[str]:
        return [href for text, href in self.links if text == name]


def outline(client: Client, url: str, status: int = 200) -> Outline:
    response = client.get(url)
    assert response.status_code == status, url
    parsed = Outline()
    parsed.feed(response.content.decode())
    return parsed


@pytest.fixture
def listed_therapist() -> TherapistProfile:
    user = User.objects.create_user("ruth@example.com", "a-long-password", role="therapist")
    return TherapistProfile.objects.create(
        user=user,
        slug="ruth",
        display_name="Dr. Ruth Example",
        credentials="PT, CNC, DIM",
        headline="Thirty years of helping women with osteoporosis",
        bio="First paragraph about Ruth.\n\nSecond paragraph about Ruth.",
    )


def test_home_presents_the_therapist_and_both_offers(client, listed_therapist):
    page = outline(client, "/")
    html = client.get("/").content.decode()

    assert page.hrefs_named("Book a free 15-minute consult") == ["/consults/book/"]
    assert page.hrefs_named("More about the guide") == ["/guide/"]
    assert 'action="/guide/signup/"' in html  # the guide's sign-up form (newsletter C4)
    assert "Dr. Ruth Example" in html
    assert "PT, CNC, DIM" in html
    assert "Thirty years of helping women with osteoporosis" in html


def test_unlisted_therapists_stay_off_the_home_page(client, listed_therapist):
    listed_therapist.is_listed = False
    listed_therapist.save()

    assert "Dr. Ruth Example" not in client.get("/").content.decode()


def test_about_page_shows_each_therapists_bio_in_paragraphs(client, listed_therapist):
    html = client.get("/about/").content.decode()

    assert "<p>First paragraph about Ruth.</p>" in html
    assert "<p>Second paragraph about Ruth.</p>" in html
    assert 'id="ruth"' in html


def test_footer_shows_the_practice_contact_details(client):
    html = client.get("/").content.decode()
    profile = practice_profile()

    assert profile.name in html
    assert f'href="mailto:{profile.email}"' in html
    assert f'href="{profile.phone_href}"' in html
    assert re.fullmatch(r"tel:\+?\d+", profile.phone_href)
    assert 'href="/about/"' in html
    assert 'href="/privacy/"' in html


def test_editing_the_practice_profile_changes_every_page(client):
    client.get("/")  # warms the cache with the old details
    profile = PracticeProfile.objects.get()
    profile.name = "Bright Bones Studio"
    profile.phone = "+1 (555) 777-1234"
    profile.email = "desk@brightbones.example"
    profile.address = "9 Harbour Road\nPortland, ME 04101"
    profile.hours = "Tuesdays only, 9 am to 1 pm"
    profile.save()

    for url in PUBLIC_PAGES:
        html = client.get(url).content.decode()
        assert "Bright Bones Studio" in html, url
        assert 'href="tel:+15557771234"' in html, url
        assert 'href="mailto:desk@brightbones.example"' in html, url
        assert "9 Harbour Road<br>Portland, ME 04101" in html, url
        assert "Tuesdays only, 9 am to 1 pm" in html, url


def test_profile_defaults_come_from_settings(settings, client):
    settings.PRACTICE_NAME = "Settings Named Practice"
    settings.PRACTICE_PHONE = "555 123 4567"

    html = client.get("/").content.decode()

    assert "Settings Named Practice" in html
    assert 'href="tel:5551234567"' in html


@pytest.mark.parametrize("url", ["/about/", "/privacy/", "/consults/book/", "/guide/"])
def test_contact_pages_say_how_to_reach_the_practice(client, url):
    profile = practice_profile()
    page = outline(client, url)

    main_links = [href for _, href in page.links]
    assert main_links.count(profile.phone_href) >= 2, "phone in the page body and the footer"
    assert sum(href.startswith(f"mailto:{profile.email}") for href in main_links) >= 2


def test_consult_and_guide_pages_are_honest_about_how_to_book(client):
    consult = client.get("/consults/book/").content.decode()
    guide = client.get("/guide/").content.decode()

    assert "15-minute" in consult
    assert "8 Lifestyle Changes for Better Bone Health" in guide
    for html in (consult, guide):
        assert "coming soon" not in html.lower()


def test_privacy_page_explains_data_cookies_and_deletion(client):
    html = client.get("/privacy/").content.decode()

    for topic in ("pain scores", "Cookies", "only by you and by your therapist", "delete"):
        assert topic in html


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/no-such-page/"])
def test_every_page_has_the_accessible_shell(client, url):
    page = outline(client, url, status=404 if "no-such" in url else 200)

    assert page.lang == "en"
    assert page.h1_count == 1
    assert page.main_ids == ["main"]
    assert page.links[0] == ("Skip to main content", "#main")
    assert "Main" in page.nav_labels
    assert all(page.nav_labels), "every nav has a label"


def test_navigation_links_go_to_each_section(client):
    page = outline(client, "/")

    assert page.hrefs_named("Articles") == ["/articles/"]
    assert page.hrefs_named("Exercises") == ["/exercises/"]
    assert page.hrefs_named("Book a free consult") == ["/consults/book/"]
    assert page.hrefs_named("Free guide") == ["/guide/"]
    assert page.hrefs_named("Log in")
    assert page.hrefs_named("Sign up")


def test_a_logged_in_patient_sees_my_exercises_and_a_log_out_button(client):
    patient = User.objects.create_user("pat@example.com", "a-long-password", full_name="Pat Lee")
    client.force_login(patient)

    html = client.get("/").content.decode()
    page = outline(client, "/")

    assert page.hrefs_named("My exercises") == ["/exercises/today/"]
    assert not page.hrefs_named("Log in")
    assert "Pat" in html
    assert re.search(r'<form[^>]*method="post"[^>]*action="/accounts/logout/"', html)
    assert "csrfmiddlewaretoken" in html


def test_today_tells_a_patient_her_program_is_not_ready(client):
    client.force_login(User.objects.create_user("pat@example.com", "a-long-password"))

    html = client.get("/exercises/today/").content.decode()

    assert "You do not have a home exercise program on the site yet" in html


def test_today_asks_a_visitor_to_log_in(client):
    response = client.get("/exercises/today/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/exercises/today/"


def test_unknown_address_gets_a_friendly_page_in_the_site_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/this-page-does-not-exist/")
    html = response.content.decode()

    assert response.status_code == 404
    assert "We cannot find that page" in html
    assert practice_profile().name in html
    assert 'href="/"' in html


def test_a_crash_shows_a_calm_error_page_with_the_practice_phone(client, settings):
    settings.ROOT_URLCONF = "tests.site.boom_urls"
    client.raise_request_exception = False

    response = client.get("/boom/")
    html = response.content.decode()

    assert response.status_code == 500
    assert "something went wrong" in html
    assert practice_profile().phone in html


def test_server_error_page_still_renders_when_the_profile_cannot_be_read(
    client, settings, monkeypatch
):
    from practice.site import views

    def broken_profile():
        raise RuntimeError("database is down")

    monkeypatch.setattr(views, "practice_profile", broken_profile)
    request = client.get("/").wsgi_request

    response = views.server_error(request)
    html = response.content.decode()

    assert response.status_code == 500
    assert "something went wrong" in html
    assert settings.PRACTICE_PHONE in html


def test_browsers_find_the_favicon_where_they_look_for_it(client: Client) -> None:
    html = client.get("/").content.decode()
    linked = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert linked
    assert client.get(linked.group(1))["Content-Type"] == "image/svg+xml"

    response = client.get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.redirect_chain == [(linked.group(1), 301)]
