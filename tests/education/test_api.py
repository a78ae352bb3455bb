"""The articles API: public reads (published only, topic, search, pages), staff writes with
the writing page's validation, and the OpenAPI schema that documents it."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate

from education.models import Article
from practice.scheduling.models import Job
from tests.education.helpers import article_make, series_make, topic_make

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, data: dict, method: str = "post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_list_and_detail_are_public_and_published_only(therapist):
    hips = topic_make("Hips")
    article = article_make(therapist, title="Bridges", topics=[hips], body="Lift **slowly**.")
    article_make(therapist, title="A draft", status="draft")
    body = Client().get("/api/v1/articles/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["title"] == "Bridges"
    assert item["url"] == "/articles/bridges/"
    assert item["body"] == "Lift **slowly**."
    assert item["author"] == {
        "name": "Ruth Calder",
        "credentials": "PT, DPT",
        "slug": item["author"]["slug"],
    }
    assert item["topics"][0]["slug"] == "hips"
    assert item["reading_minutes"] == 1
    assert Client().get(f"/api/v1/articles/{article.slug}/").json()["title"] == "Bridges"
    assert Client().get("/api/v1/articles/a-draft/").status_code == 404


def test_topic_filter_search_and_unknown_topic(therapist):
    hips = topic_make("Hips")
    article_make(therapist, title="Hip flexors", topics=[hips])
    article_make(therapist, title="Calcium and vitamin D")
    titles = [a["title"] for a in Client().get("/api/v1/articles/?topic=hips").json()["results"]]
    assert titles == ["Hip flexors"]
    found = Client().get("/api/v1/articles/", {"search": "calcium"}).json()["results"]
    assert [a["title"] for a in found] == ["Calcium and vitamin D"]
    odd = Client().get("/api/v1/articles/", {"search": "'; DROP TABLE x; -- <>" * 50})
    assert odd.status_code == 200
    missing = Client().get("/api/v1/articles/?topic=nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert [t["slug"] for t in Client().get("/api/v1/topics/").json()["results"]] == ["hips"]


def test_staff_create_and_edit_with_the_writing_pages_rules(therapist, therapist_client):
    hips = topic_make("Hips")
    when = (timezone.now() + timedelta(days=2)).isoformat()
    created = post(
        therapist_client,
        "/api/v1/articles/",
        {
            "title": "Balance at home",
            "summary": "Five minutes a day.",
            "body": "Stand at the counter.",
            "status": "scheduled",
            "publish_at": when,
            "topics": ["hips"],
        },
    )
    assert created.status_code == 201, created.content
    article = Article.objects.get()
    assert article.author == therapist.therapist_profile
    assert list(article.topics.all()) == [hips]
    assert Job.objects.filter(kind="education.publish", done_at__isnull=True).count() == 1

    edited = post(
        therapist_client,
        f"/api/v1/articles/{article.slug}/",
        {"summary": "Five minutes a day, at the counter.", "status": "published"},
        method="patch",
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["status"] == "published"
    assert article.versions.count() == 2

    duplicate = post(
        therapist_client, "/api/v1/articles/", {"title": "Balance at home", "summary": "Again."}
    )
    assert duplicate.status_code == 400
    assert "already uses the address" in duplicate.json()["error"]["fields"]["slug"][0]
    reserved = post(
        therapist_client, "/api/v1/articles/", {"title": "x", "slug": "feed", "summary": "s"}
    )
    assert "uses for its own pages" in reserved.json()["error"]["fields"]["slug"][0]


def test_staff_without_a_profile_write_as_the_practice_owner(owner, db):
    from tests.fixtures.accounts import login_with_totp, therapist_create

    helper = therapist_create(email="front.desk@example.com", full_name="Front Desk")
    helper.therapist_profile.delete()
    client = Client()
    login_with_totp(client, helper)
    created = post(client, "/api/v1/articles/", {"title": "Hello", "summary": "Hi."})
    assert created.status_code == 201, created.content
    assert Article.objects.get().author == owner.therapist_profile


def test_visitors_and_patients_cannot_write(patient_client):
    data = {"title": "x", "summary": "y"}
    assert post(Client(), "/api/v1/articles/", data).status_code in {401, 403}
    assert post(patient_client, "/api/v1/articles/", data).status_code == 403
    assert not Article.objects.exists()


def test_schema_documents_the_articles_api():
    schema = json.loads(Client().get("/api/schema/").content)
    validate(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/articles/"])
    assert {"get", "put", "patch"} <= set(paths["/api/v1/articles/{slug}/"])
    names = {p["name"] for p in paths["/api/v1/articles/"]["get"]["parameters"]}
    assert {"search", "topic", "page"} <= names


def test_a_part_number_too_big_for_the_database_is_a_field_error(therapist, therapist_client):
    series_make("Hips and glutes")
    response = post(
        therapist_client,
        "/api/v1/articles/",
        {
            "title": "Bridges",
            "summary": "Lift.",
            "series": "hips-and-glutes",
            "series_position": 40000,
        },
    )
    assert response.status_code == 400
    assert "999" in response.json()["error"]["fields"]["series_position"][0]
    assert not Article.objects.exists()
