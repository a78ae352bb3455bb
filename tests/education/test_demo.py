"""seed_demo's articles: two series, one scheduled, one draft, exercise embeds that resolve
against the exercise library's demo, hero images drawn locally; seeding twice changes nothing."""

import pytest
from django.test import Client

from education import demo
from education.models import Article, ArticleVersion
from exercises import demo as exercises_demo
from practice.accounts import demo as accounts_demo
from practice.scheduling.models import Job
from tests.education.helpers import html_of

pytestmark = pytest.mark.django_db


def test_demo_articles_embed_the_library_and_seed_once():
    accounts_demo.seed()
    demo.seed()
    exercises_demo.seed()
    counts = (Article.objects.count(), ArticleVersion.objects.count(), Job.objects.count())
    demo.seed()
    assert (Article.objects.count(), ArticleVersion.objects.count(), Job.objects.count()) == counts

    assert Article.objects.count() >= 6
    assert Article.objects.filter(status="scheduled").count() == 1
    assert Article.objects.filter(status="draft").count() == 1
    assert Article.objects.exclude(series=None).values("series").distinct().count() == 2
    assert all(a.hero_image for a in Article.objects.filter(status="published"))

    hips = html_of(Client().get("/articles/tight-hip-flexors/").content)
    cards = [a["href"] for a in hips.select(".article-exercise .exercise-card__name a")]
    assert cards == ["/exercises/pendulum-leg-swings/", "/exercises/lunge-hip-flexor-stretch/"]
    glutes = html_of(Client().get("/articles/weak-glutes/").content)
    cards = [a["href"] for a in glutes.select(".article-exercise .exercise-card__name a")]
    assert cards == ["/exercises/glute-bridge/", "/exercises/clamshell/"]
    assert glutes.select_one('.article__body a[href="/articles/tight-hip-flexors/"]')
