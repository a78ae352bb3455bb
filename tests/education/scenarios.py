"""Ways to reach the article pages in a browser, for the accessibility scan (tests/e2e)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page

from education.models import Article
from practice.accounts.models import User
from tests.education.helpers import article_make, image_upload, series_make, topic_make
from tests.exercises.helpers import exercise_make, picture_add


def article_with_everything(therapist: User) -> Article:
    """A published article with a hero image, topics, a series-less review line, an
    embedded exercise card, a link to an earlier article and a related one."""
    hips = topic_make("Hips and glutes")
    exercise = exercise_make(name="Glute bridge")
    picture_add(exercise, alt="A woman lifting her hips off a mat")
    earlier = article_make(therapist, title="Tight hip flexors", topics=[hips])
    return article_make(
        therapist,
        title="Weak glutes",
        summary="Wake up the muscles that carry you.",
        body=(
            f"Back when I wrote about [[article:{earlier.slug}]], you asked about glutes.\n\n"
            f"## Bridges\n\n[[exercise:{exercise.slug}]]\n\nTry it *slowly*."
        ),
        topics=[hips],
        hero_image=image_upload((1600, 900)),
        hero_alt="A yoga mat on a wooden floor",
        reviewed_on=timezone.now().date(),
        reviewed_by="Dr. Jo Okafor, PT",
        references="Giangregorio 2014, Too Fit To Fracture",
    )


def log_in_with_code(page: Page, therapist: User) -> None:
    from tests.e2e.test_accessibility import log_in_with_code as log_in

    log_in(page, therapist)


def article_page(page: Page, therapist: User, patient: User) -> None:
    page.goto(article_with_everything(therapist).get_absolute_url())


def articles_search(page: Page, therapist: User, patient: User) -> None:
    article_with_everything(therapist)
    page.goto("/articles/?q=glutes")


def articles_topic(page: Page, therapist: User, patient: User) -> None:
    article_with_everything(therapist)
    page.goto("/articles/topics/hips-and-glutes/")


def series_page(page: Page, therapist: User, patient: User) -> None:
    series = series_make("Hips and glutes")
    series.description = "Strong hips, step by step."
    series.save()
    article_make(
        therapist,
        title="Weak glutes",
        series=series,
        hero_image=image_upload((1600, 900)),
        hero_alt="A yoga mat on a wooden floor",
    )
    article_make(therapist, title="Bridges", series=series)
    page.goto(series.get_absolute_url())


def write_list(page: Page, therapist: User, patient: User) -> None:
    article_with_everything(therapist)
    log_in_with_code(page, therapist)
    page.goto("/articles/write/")


def write_errors(page: Page, therapist: User, patient: User) -> None:
    log_in_with_code(page, therapist)
    page.goto("/articles/write/new/")
    page.get_by_label("Title").fill("Balance")
    page.get_by_label("Address (slug)").fill("feed")
    page.locator("main form.writing__form").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Save", exact=True).click()


def write_edit(page: Page, therapist: User, patient: User) -> None:
    article = article_with_everything(therapist)
    log_in_with_code(page, therapist)
    page.goto(f"/articles/write/{article.pk}/")


def versions(page: Page, therapist: User, patient: User) -> None:
    from education.services import article_draft_from, article_save

    article = article_with_everything(therapist)
    draft = article_draft_from(article)
    draft.body += "\n\nOne more line."
    article_save(article=article, draft=draft, editor=therapist)
    log_in_with_code(page, therapist)
    page.goto(f"/articles/write/{article.pk}/versions/")


def preview(page: Page, therapist: User, patient: User) -> None:
    article = article_make(
        therapist, status="scheduled", publish_at=timezone.now() + timedelta(days=2)
    )
    log_in_with_code(page, therapist)
    page.goto(f"/articles/preview/{article.pk}/")
