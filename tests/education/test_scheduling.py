"""A scheduled article goes live at its time, once, through the scheduler's Job row."""

from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from education.models import Article
from education.services import article_draft_from, article_save
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_run_due
from tests.education.helpers import article_make
from tests.fixtures.services import wait_until

pytestmark = pytest.mark.django_db


def test_scheduled_article_goes_live_once_at_its_time(therapist):
    when = timezone.now() + timedelta(hours=2)
    article = article_make(therapist, status="scheduled", publish_at=when, title="Balance")
    job = Job.objects.get(kind="education.publish")
    assert job.due_at == when
    assert job.payload == {"article_id": article.pk}

    assert jobs_run_due() == 0
    assert Client().get(article.get_absolute_url()).status_code == 404

    with time_machine.travel(when + timedelta(minutes=1)):
        assert jobs_run_due() == 1
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert article.published_at == when
        assert Client().get(article.get_absolute_url()).status_code == 200
        assert "Balance" in Client().get("/articles/").content.decode()
        feed = feedparser.parse(Client().get("/articles/feed/").content)
        assert [e.title for e in feed.entries] == ["Balance"]
        assert article.get_absolute_url() in Client().get("/sitemap.xml").content.decode()
        assert jobs_run_due() == 0  # done: never again
    job.refresh_from_db()
    assert job.done_at is not None


def test_moving_the_time_moves_the_job_and_unscheduling_cancels_it(therapist):
    first = timezone.now() + timedelta(hours=1)
    article = article_make(therapist, status="scheduled", publish_at=first)
    draft = article_draft_from(article)
    draft.publish_at = first + timedelta(days=1)
    article_save(article=article, draft=draft, editor=therapist)

    with time_machine.travel(first + timedelta(minutes=5)):
        jobs_run_due()
        article.refresh_from_db()
        assert article.status == Article.Status.SCHEDULED  # not at the old time

    draft = article_draft_from(article)
    draft.status = Article.Status.DRAFT
    article_save(article=article, draft=draft, editor=therapist)
    assert not Job.objects.filter(cancelled_at__isnull=True, done_at__isnull=True).exists()
    with time_machine.travel(first + timedelta(days=2)):
        jobs_run_due()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_an_article_published_by_hand_is_not_published_again_by_its_job(therapist):
    when = timezone.now() + timedelta(hours=1)
    article = article_make(therapist, status="scheduled", publish_at=when)
    Job.objects.update(due_at=timezone.now())  # a late job for an article already live
    Article.objects.filter(pk=article.pk).update(status="archived")
    jobs_run_due()
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_scheduling_in_the_past_is_a_field_error(therapist):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        article_make(therapist, status="scheduled", publish_at=timezone.now() - timedelta(1))
    assert "future" in error.value.message_dict["publish_at"][0]


@pytest.mark.django_db(transaction=True)
def test_celery_beat_and_a_worker_publish_a_scheduled_article(therapist, celery_beat):
    """The real path: beat runs the scanner, the worker claims the Job and publishes; the
    list page, once served from the page cache, shows the article."""
    Client().get("/articles/")
    when = timezone.now() + timedelta(seconds=2)
    article = article_make(therapist, status="scheduled", publish_at=when, title="On time")
    assert "On time" not in Client().get("/articles/").content.decode()

    wait_until(
        lambda: Article.objects.filter(pk=article.pk, status="published").exists(),
        what="the scheduled article to be published",
    )
    job = Job.objects.get(kind="education.publish")
    assert job.done_at is not None
    assert job.attempts == 0
    wait_until(
        lambda: "On time" in Client().get("/articles/").content.decode(),
        timeout=5,
        what="the list page to show it",
    )
