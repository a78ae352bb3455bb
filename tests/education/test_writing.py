"""The therapist's writing pages: save without JavaScript, field errors that lose nothing,
hero images, body images, versions compared and restored, the staff-only preview."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from education.images import IMAGE_MAX_BYTES
from education.models import Article, ArticleVersion
from tests.education.helpers import article_make, html_of, image_upload, series_make, topic_make
from tests.fixtures.accounts import login_with_password, therapist_create

pytestmark = pytest.mark.django_db


def form_data(author, **fields):
    data = {
        "title": "Weak glutes",
        "slug": "",
        "summary": "Wake up the muscles that carry you.",
        "body": "Your glutes push you up from a chair.\n\n## Bridges\n\nLift.",
        "status": "draft",
        "publish_at": "",
        "author": author.therapist_profile.pk,
        "series": "",
        "series_position": "",
        "hero_alt": "",
        "reviewed_on": "",
        "reviewed_by": "",
        "references": "",
        "note": "",
    }
    data.update(fields)
    return data


def errors_of(response) -> dict[str, str]:
    page = html_of(response.content)
    found = {}
    for error in page.select(".errorlist"):
        field = error.find_parent(class_="field")
        label = field.select_one("label").get_text(strip=True).rstrip(":") if field else ""
        found[label] = error.get_text(" ", strip=True)
    return found


def test_write_publish_and_read_without_javascript(therapist, therapist_client):
    hips = topic_make("Hips")
    response = therapist_client.post(
        "/articles/write/new/", form_data(therapist, status="published", topics=[hips.pk])
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/write/{article.pk}/"
    assert article.slug == "weak-glutes"
    assert article.status == "published"
    assert list(article.topics.all()) == [hips]
    assert ArticleVersion.objects.filter(article=article).count() == 1
    page = therapist_client.get(response["Location"])
    text = page.content.decode()
    assert "Saved “Weak glutes”" in text
    assert "10 words" in html_of(text).select_one("#writing-counts").get_text()
    assert Client().get("/articles/weak-glutes/").status_code == 200


@pytest.mark.parametrize(
    ("fields", "label", "message"),
    [
        ({"slug": "feed"}, "Address (slug)", "a word the site uses"),
        ({"slug": "topics"}, "Address (slug)", "a word the site uses"),
        ({"slug": "Not a slug!"}, "Address (slug)", "letters, numbers and hyphens"),
        ({"title": "   "}, "Title", "required"),
        ({"status": "scheduled"}, "Publish at", "Choose when"),
        ({"status": "scheduled", "publish_at": "2001-01-01T10:00"}, "Publish at", "future"),
    ],
)
def test_bad_input_is_a_field_error_that_keeps_what_was_typed(
    therapist, therapist_client, fields, label, message
):
    response = therapist_client.post("/articles/write/new/", form_data(therapist, **fields))
    assert response.status_code == 200
    assert message.lower() in errors_of(response)[label].lower()
    page = html_of(response.content)
    assert "Your glutes push you up" in page.select_one("textarea[name=body]").get_text()
    assert not Article.objects.exists()


def test_duplicate_slug_and_an_old_slug_are_taken(therapist, therapist_client):
    article_make(therapist, slug="weak-glutes")
    response = therapist_client.post("/articles/write/new/", form_data(therapist))
    assert "already uses the address" in errors_of(response)["Address (slug)"]


def test_hero_image_is_resized_to_web_sizes_and_needs_a_description(therapist, therapist_client):
    response = therapist_client.post(
        "/articles/write/new/", form_data(therapist, hero_image=image_upload((3000, 2000)))
    )
    assert "Describe the image" in errors_of(response)["Hero image description"]

    response = therapist_client.post(
        "/articles/write/new/",
        form_data(therapist, hero_image=image_upload((3000, 2000)), hero_alt="A yoga mat"),
    )
    article = Article.objects.get()
    assert sorted(int(w) for w in article.hero_sizes) == [480, 960, 1600]
    with Image.open(article.hero_image.path) as saved:
        assert saved.size == (1600, 1067)
        assert saved.format == "JPEG"
        assert not saved.getexif()


def test_non_images_and_oversized_files_are_field_errors_that_say_the_limit(
    therapist, therapist_client
):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>" * 10, content_type="image/jpeg")
    response = therapist_client.post(
        "/articles/write/new/", form_data(therapist, hero_image=fake, hero_alt="x")
    )
    assert "not an image we can use" in errors_of(response)["Hero image"]

    big = io.BytesIO()
    Image.effect_noise((2600, 2600), 100).convert("RGB").save(big, "BMP")
    assert big.tell() > IMAGE_MAX_BYTES
    upload = SimpleUploadedFile("big.bmp", big.getvalue(), content_type="image/bmp")
    response = therapist_client.post(
        "/articles/write/new/", form_data(therapist, hero_image=upload, hero_alt="x")
    )
    assert "up to 10 MB" in errors_of(response)["Hero image"]
    assert not Article.objects.exists()


def test_versions_compare_and_restore(therapist, therapist_client):
    article = article_make(therapist, body="First line.\nSecond line.")
    therapist_client.post(
        f"/articles/write/{article.pk}/",
        form_data(
            therapist,
            title=article.title,
            slug=article.slug,
            summary=article.summary,
            body="First line.\nA better second line.",
            status="published",
        ),
    )
    page = html_of(therapist_client.get(f"/articles/write/{article.pk}/versions/?a=1&b=2").content)
    assert [li.get_text(strip=True) for li in page.select(".diff__line--removed")][-1] == (
        "Removed:Second line."
    )
    assert "Added:A better second line." in [
        li.get_text(strip=True) for li in page.select(".diff__line--added")
    ]

    response = therapist_client.post(f"/articles/write/{article.pk}/versions/1/restore/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "First line.\nSecond line."
    assert list(article.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert article.versions.get(number=3).note == "Restored version 1"


def test_preview_is_for_staff_only_others_get_404(
    therapist, therapist_client, patient_client, other_therapist
):
    for status in ("draft", "scheduled"):
        article = article_make(therapist, status=status, title=f"Secret {status}")
        url = f"/articles/preview/{article.pk}/"
        assert Client().get(url).status_code == 404
        assert patient_client.get(url).status_code == 404
        response = therapist_client.get(url)
        assert response.status_code == 200
        assert f"Secret {status}" in response.content.decode()
        assert "Preview." in response.content.decode()
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_preview_asks_staff_without_an_authenticator_to_set_one_up(therapist):
    """A draft is behind the same two-step sign-in as the writing pages."""
    article = article_make(therapist, status="draft", title="Secret draft")
    newcomer = therapist_create(email="new.writer@example.com", totp=False)
    client = Client()
    login_with_password(client, newcomer.email)

    response = client.get(f"/articles/preview/{article.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert "Secret draft" not in response.content.decode()


def test_writing_pages_are_not_for_patients_or_visitors(therapist, patient_client):
    article = article_make(therapist)
    for url in ("/articles/write/", "/articles/write/new/", f"/articles/write/{article.pk}/"):
        assert patient_client.get(url).status_code == 403
        assert Client().get(url).status_code == 302  # to the login page


def test_live_preview_renders_what_readers_get(therapist_client):
    response = therapist_client.post(
        "/articles/write/preview/", {"body": "**Strong** bones <script>x</script>"}
    )
    data = response.json()
    assert "<strong>Strong</strong>" in data["html"]
    assert "<script" not in data["html"]
    assert data["words"] == 3
    assert data["minutes"] == 1


def test_image_upload_without_javascript_adds_it_to_the_body(therapist, therapist_client):
    article = article_make(therapist, body="Text.")
    response = therapist_client.post(
        f"/articles/write/{article.pk}/images/",
        {"image": image_upload((800, 600)), "alt": "A kitchen counter"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body.startswith("Text.\n\n![A kitchen counter](/media/articles/images/")
    html = Client().get(article.get_absolute_url()).content.decode()
    image = html_of(html).select_one(".article__body img")
    assert image["alt"] == "A kitchen counter"
    assert Client().get(image["src"]).status_code == 200


def test_image_upload_with_javascript_returns_markdown_or_errors(therapist, therapist_client):
    article = article_make(therapist)
    headers = {"Accept": "application/json"}
    ok = therapist_client.post(
        f"/articles/write/{article.pk}/images/",
        {"image": image_upload((800, 600)), "alt": "A chair"},
        headers=headers,
    )
    assert ok.json()["markdown"].startswith("![A chair](/media/articles/images/")
    bad = therapist_client.post(
        f"/articles/write/{article.pk}/images/",
        {"image": SimpleUploadedFile("x.png", b"not an image"), "alt": ""},
        headers=headers,
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"image", "alt"}


def test_publish_time_is_read_in_the_therapists_zone(therapist, therapist_client):
    profile = therapist.therapist_profile
    profile.time_zone = "America/New_York"
    profile.save()
    day = (timezone.now() + timedelta(days=30)).date()
    therapist_client.post(
        "/articles/write/new/",
        form_data(therapist, status="scheduled", publish_at=f"{day.isoformat()}T09:00"),
    )
    article = Article.objects.get()
    assert article.publish_at is not None
    local = article.publish_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert (local.date(), local.hour, local.minute) == (day, 9, 0)


def test_a_part_number_too_big_for_the_database_is_a_field_error(therapist, therapist_client):
    series = series_make("Hips and glutes")
    response = therapist_client.post(
        "/articles/write/new/",
        form_data(therapist, series=series.pk, series_position="40000"),
    )
    assert response.status_code == 200
    assert "999" in errors_of(response)["Part number in the series"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("odd", ["²", "½", "-1", "1e3", "99999999999", " 1"])
def test_odd_version_numbers_in_the_comparison_address_show_the_versions_page(
    therapist, therapist_client, odd
):
    article = article_make(therapist)
    response = therapist_client.get(f"/articles/write/{article.pk}/versions/", {"a": odd, "b": "1"})
    assert response.status_code == 200
    assert html_of(response.content).select_one("h1") is not None


def _another_save_lands_first(monkeypatch, make) -> None:
    """Another request commits its article between this save's checks and its write."""
    from education import services

    checked = services._text_validate

    def then_the_other_save(*args, **kwargs):
        make()
        return checked(*args, **kwargs)

    monkeypatch.setattr(services, "_text_validate", then_the_other_save)


def test_two_saves_racing_for_one_address_give_the_loser_a_field_error(
    therapist, therapist_client, monkeypatch
):
    _another_save_lands_first(
        monkeypatch,
        lambda: Article.objects.create(
            title="Weak glutes",
            slug="weak-glutes",
            summary="First.",
            author=therapist.therapist_profile,
        ),
    )
    response = therapist_client.post("/articles/write/new/", form_data(therapist))
    assert response.status_code == 200
    assert "already uses the address" in errors_of(response)["Address (slug)"]
    assert Article.objects.count() == 1


def test_two_new_parts_racing_for_one_position_give_the_loser_a_field_error(
    therapist, therapist_client, monkeypatch
):
    series = series_make("Hips and glutes")
    _another_save_lands_first(
        monkeypatch,
        lambda: Article.objects.create(
            title="Bridges",
            slug="bridges",
            summary="First.",
            author=therapist.therapist_profile,
            series=series,
            series_position=1,
        ),
    )
    response = therapist_client.post("/articles/write/new/", form_data(therapist, series=series.pk))
    assert response.status_code == 200
    assert "saved at the same moment" in html_of(response.content).get_text()
    assert Article.objects.count() == 1
