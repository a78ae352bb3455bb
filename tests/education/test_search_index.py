"""The weighted search vector has a GIN index, and article search uses it."""

import pytest
from django.db import connection

from education.models import Article
from education.search import articles_search

pytestmark = pytest.mark.django_db


def test_article_search_uses_the_gin_index():
    queryset = articles_search(Article.objects.all(), q="hip flexors")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "article_search_gin" in plan
