"""Every education route: who may use it, what everyone else gets, and bad input (issue 6).

The table ``ROUTES`` has a row per route of education/urls.py, education/apis.py and
education/discovery_urls.py; a route added without a row fails
``test_every_route_has_a_row``. The objects are real: a published article in a topic and a
series, and another therapist's draft. Articles belong to the practice, not to one
therapist: every therapist may write, edit and preview any article (the issue's "staff
create and edit"); patients are refused the writing pages (403) and, like anonymous
visitors, get 404 for a draft anywhere (its preview included), as for an unknown article.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from education.models import Article, Series, Topic
from practice.accounts.models import User
from tests.education.helpers import article_make, series_make, topic_make
from tests.fixtures.routes import (
    ROLES,
    PeopleClients,
    Row,
    everyone,
    outcome_matches,
    people_clients,
    request,
    route_names,
    staff_only,
)

#: Only in the other therapist's draft: no one outside the staff ever reads it.
DRAFT_WORDS = "Unpublished thoughts on vertebral fractures"
API = "api:"
API_ANONYMOUS = (401, 403)
HIDDEN = {"anonymous": 404, "patient": 404, "other_patient": 404}

ROUTES: dict[str, Row] = {
    "education:index": Row("GET", everyone(200)),
    "education:feed": Row("GET", everyone(200)),
    "education:feed_atom": Row("GET", everyone(200)),
    "education:topic": Row("GET", everyone(200)),
    "education:series": Row("GET", everyone(200)),
    "education:detail": Row("GET", everyone(200)),
    "education:write_list": Row("GET", staff_only(200)),
    "education:write_new": Row("GET", staff_only(200)),
    "education:preview_fragment": Row("POST", staff_only(200), {"body": "**Hello**"}),
    "education:write_edit": Row("GET", staff_only(200), why="another therapist's draft"),
    "education:image_upload": Row("POST", staff_only(302), why="no file: said on the page"),
    "education:versions": Row("GET", staff_only(200)),
    "education:version_restore": Row("POST", staff_only(302)),
    "education:preview": Row("GET", {**staff_only(200), **HIDDEN}, why="a draft: 404"),
    "sitemap": Row("GET", everyone(200)),
    "robots_txt": Row("GET", everyone(200)),
    API + "article-list": Row("GET", everyone(200)),
    API + "article-detail": Row("GET", everyone(404), why="a draft, even for staff: 404"),
    API + "topic-list": Row("GET", everyone(200)),
}
#: The API's writes, on the same addresses (a table of their own: one row per method).
API_WRITES: dict[str, Row] = {
    API + "article-list": Row(
        "POST",
        staff_only(400, anonymous=API_ANONYMOUS),
        {"title": ""},
        why="staff get field errors for an empty article",
    ),
    API + "article-detail": Row(
        "PATCH",
        staff_only(200, anonymous=API_ANONYMOUS),
        {"summary": "Still a draft."},
        why="staff edit any article by its slug, drafts too",
    ),
}


@dataclass
class World:
    published: Article
    draft: Article
    topic: Topic
    series: Series
    clients: PeopleClients


@pytest.fixture
def world(
    patient: User, other_patient: User, therapist: User, other_therapist: User, owner: User
) -> World:
    topic = topic_make("Bone health")
    series = series_make("Strong bones")
    published = article_make(therapist, topics=[topic], series=series, title="Walking for bones")
    draft = article_make(
        other_therapist,
        status=Article.Status.DRAFT,
        title=DRAFT_WORDS,
        body=f"{DRAFT_WORDS}.",
        topics=[topic],
    )
    clients = people_clients(
        patient=patient,
        other_patient=other_patient,
        therapist=therapist,
        other_therapist=other_therapist,
        owner=owner,
    )
    return World(published=published, draft=draft, topic=topic, series=series, clients=clients)


def url_of(name: str, world: World) -> str:
    args: dict[str, list[Any]] = {
        "education:topic": [world.topic.slug],
        "education:series": [world.series.slug],
        "education:detail": [world.published.slug],
        "education:write_edit": [world.draft.pk],
        "education:image_upload": [world.draft.pk],
        "education:versions": [world.draft.pk],
        "education:version_restore": [world.draft.pk, 1],
        "education:preview": [world.draft.pk],
        API + "article-detail": [world.draft.slug],
    }
    return reverse(name, args=args.get(name, []))


def test_every_route_has_a_row() -> None:
    names = route_names("education.urls", "education.discovery_urls") | {
        API + name for name in route_names("education.apis")
    }

    assert names == set(ROUTES), "give each new route a row (and drop the rows of gone ones)"


def _check(name: str, row: Row, world: World) -> None:
    url = url_of(name, world)
    for role in ROLES:
        response = request(world.clients[role], row.method, url, row.data)

        expected = row.expect[role]
        assert outcome_matches(response, expected, reverse("account_login")), (
            f"{row.method} {url} as {role}: {response.status_code}, expected {expected}"
        )
        if role in ("anonymous", "patient", "other_patient"):
            body = response.content.decode() if not response.streaming else ""
            assert DRAFT_WORDS not in body, f"{name} as {role}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_who_may_use_the_route(name: str, world: World) -> None:
    _check(name, ROUTES[name], world)


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_who_may_write_through_the_api(name: str, world: World) -> None:
    _check(name, API_WRITES[name], world)


def test_the_public_address_of_a_draft_is_404_for_everyone(world: World) -> None:
    url = reverse("education:detail", args=[world.draft.slug])

    for role in ROLES:
        response = world.clients[role].get(url)
        assert response.status_code == 404, role
        assert DRAFT_WORDS not in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [*sorted(n for n, r in ROUTES.items() if r.method != "GET"), "education:write_new"],
)
def test_every_writing_form_refuses_a_post_without_its_csrf_token(name: str, world: World) -> None:
    client = world.clients["therapist"]
    client.handler.enforce_csrf_checks = True

    response = client.post(url_of(name, world), {"body": "x", "title": "x"})

    assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_the_api_refuses_a_session_write_without_its_csrf_token(name: str, world: World) -> None:
    client = world.clients["therapist"]
    client.handler.enforce_csrf_checks = True
    row = API_WRITES[name]

    response = request(client, row.method, url_of(name, world), row.data)

    assert response.status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.summary != "Still a draft."


# --- Bad input ------------------------------------------------------------------------------

HUGE = "9" * 30
ODD_DIGITS = "\u0661\u0662"
LONG = "Ü" * 10_000
ODD_QUERIES = ["", LONG, "' OR 1=1; --", "a\x00b", "<script>", "!!!:*&|", "\u0663", "%"]


@pytest.mark.parametrize(
    "query",
    [{"q": q} for q in ODD_QUERIES]
    + [{"page": p} for p in [HUGE, ODD_DIGITS, "-1", "x", LONG]]
    + [{"topic": "", "q": "bones"}],
    ids=repr,
)
def test_the_article_list_reads_any_query(query: dict[str, str], world: World) -> None:
    assert Client().get(reverse("education:index"), query).status_code == 200


@pytest.mark.parametrize("topic", ["nope", LONG, "a\x00b", ODD_DIGITS], ids=repr)
def test_an_unknown_topic_is_the_sites_404_page(topic: str, world: World) -> None:
    response = Client().get(reverse("education:index"), {"topic": topic})

    assert response.status_code == 404
    assert "<main" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"search": q} for q in ODD_QUERIES]
    + [{"page": p} for p in [HUGE, ODD_DIGITS, "-1", "x"]]
    + [{"topic": t} for t in ["nope", "a\x00b", LONG]],
    ids=repr,
)
def test_the_article_api_reads_any_query(query: dict[str, str], world: World) -> None:
    response = Client().get(reverse("api:article-list"), query)

    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert response.json()["error"]["status"] == 404


def _form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Hips that hold you up",
        "slug": "",
        "summary": "Why the glutes matter after 50.",
        "body": "Stand tall.",
        "status": "draft",
        "publish_at": "",
        "author": str(world.draft.author_id),
        "series_position": "",
        "hero_alt": "",
        "reviewed_on": "",
        "reviewed_by": "",
        "references": "",
        "note": "",
        **changes,
    }
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": LONG},
        {"summary": LONG},
        {"slug": "feed"},
        {"slug": "ünïcödé slug!"},
        {"slug": LONG},
        {"status": "live"},
        {"status": "scheduled", "publish_at": ""},
        {"status": "scheduled", "publish_at": "9999-12-31T23:59"},
        {"status": "scheduled", "publish_at": "0001-01-01T00:00"},
        {"status": "scheduled", "publish_at": "2027-03-14T02:30"},  # not a New York time
        {"publish_at": "tomorrow"},
        {"author": HUGE},
        {"author": ODD_DIGITS},
        {"topics": [HUGE]},
        {"topics": ["x"]},
        {"series": HUGE},
        {"series": "SERIES", "series_position": HUGE},
        {"series": "SERIES", "series_position": "0"},
        {"reviewed_on": "9999-99-99"},
        {"reviewed_by": LONG},
        {"note": LONG},
        {"title": "a\x00b"},
    ],
    ids=repr,
)
def test_the_writing_form_shows_a_field_error_and_keeps_the_text(
    changes: dict[str, Any], world: World
) -> None:
    before = Article.objects.count()
    data = _form(world, **changes)
    if data.get("series") == "SERIES":
        data["series"] = str(world.series.pk)

    response = world.clients["therapist"].post(reverse("education:write_new"), data)

    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "errorlist" in text
    assert "Why the glutes matter after 50." in text or changes.get("summary")
    assert Article.objects.count() == before


def test_an_article_scheduled_at_the_end_of_the_calendar_is_refused_and_pages_still_open(
    world: World,
) -> None:
    """9999-12-31 23:59 in New York is in the year 10000 in UTC: PostgreSQL would store it
    but Python could not read it back (every writing page would fail)."""
    client = world.clients["therapist"]
    data = _form(world, status="scheduled", publish_at="9999-12-31T23:59")

    client.post(reverse("education:write_new"), data)

    assert client.get(reverse("education:write_list")).status_code == 200
    assert not Article.objects.filter(title=data["title"]).exists()


def test_saving_the_same_new_article_twice_makes_two_drafts_with_distinct_slugs(
    world: World,
) -> None:
    """A double click on "save" of a new article: both saved, no 500 on the slug."""
    client = world.clients["therapist"]
    data = _form(world)

    first = client.post(reverse("education:write_new"), data)
    second = client.post(reverse("education:write_new"), data)

    assert first.status_code == 302
    assert second.status_code in (200, 302)
    slugs = list(Article.objects.filter(title=data["title"]).values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) >= 1


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": LONG},
        {"title": ["Hips"]},
        {"summary": ["a"]},
        {"slug": "topics"},
        {"slug": LONG},
        {"status": "live"},
        {"status": "scheduled"},
        {"status": "scheduled", "publish_at": "9999-12-31T23:59:59-12:00"},
        {"status": "scheduled", "publish_at": "0001-01-01T00:00:00+14:00"},
        {"publish_at": "tomorrow"},
        {"topics": "bone-health"},
        {"topics": ["nope"]},
        {"series": "nope"},
        {"series": "strong-bones", "series_position": int(HUGE)},
        {"series": "strong-bones", "series_position": HUGE},
        {"series": "strong-bones", "series_position": ODD_DIGITS + "x"},
        {"body": {"a": 1}},
    ],
    ids=repr,
)
def test_the_article_api_answers_bad_input_with_field_errors(
    changes: dict[str, Any], world: World
) -> None:
    before = Article.objects.count()
    data = {"title": "Hips", "summary": "Glutes after 50.", "body": "Stand tall.", **changes}

    response = world.clients["therapist"].post(
        reverse("api:article-list"), data, content_type="application/json"
    )

    assert response.status_code == 400, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["fields"]
    assert Article.objects.count() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"series": "strong-bones", "series_position": int(HUGE)},
        {"publish_at": "9999-12-31T23:59:59-12:00", "status": "scheduled"},
    ],
    ids=repr,
)
def test_the_article_api_edit_answers_bad_input_with_field_errors(
    changes: dict[str, Any], world: World
) -> None:
    url = reverse("api:article-detail", args=[world.draft.slug])

    response = world.clients["therapist"].patch(url, changes, content_type="application/json")

    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert response.json()["error"]["fields"]


@pytest.mark.parametrize("body", ["", LONG * 5, "a\x00b", "[[exercise:" + LONG + "]]"], ids=repr)
def test_the_live_preview_takes_any_body(body: str, world: World) -> None:
    response = world.clients["therapist"].post(
        reverse("education:preview_fragment"), {"body": body}
    )

    assert response.status_code == 200
    assert "html" in response.json()


@pytest.mark.parametrize(
    "query", [{"a": HUGE, "b": "1"}, {"a": ODD_DIGITS, "b": "-1"}, {"a": LONG}], ids=repr
)
def test_the_versions_page_reads_any_query(query: dict[str, str], world: World) -> None:
    url = reverse("education:versions", args=[world.draft.pk])

    assert world.clients["therapist"].get(url, query).status_code == 200


def test_restoring_an_unknown_version_says_so(world: World) -> None:
    client = world.clients["therapist"]
    url = reverse("education:version_restore", args=[world.draft.pk, 999])

    response = client.post(url)

    assert response.status_code == 302
    assert "999" in client.get(response["Location"]).content.decode()


def test_unknown_article_ids_are_404(world: World) -> None:
    client = world.clients["therapist"]
    for name in ("write_edit", "versions", "preview"):
        assert client.get(reverse(f"education:{name}", args=[2**63 - 1])).status_code == 404
    assert client.get(f"/articles/write/{HUGE}/").status_code == 404
    assert client.get(f"/articles/write/{ODD_DIGITS}/").status_code == 404


@pytest.mark.parametrize(
    "upload",
    [
        ("notes.txt", b"just text", "text/plain"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png"),
        ("empty.png", b"", "image/png"),
    ],
    ids=lambda u: u[0],
)
def test_an_odd_upload_is_a_field_error(upload: tuple[str, bytes, str], world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    name, content, mime = upload
    url = reverse("education:image_upload", args=[world.draft.pk])

    response = world.clients["therapist"].post(
        url,
        {"image": SimpleUploadedFile(name, content, content_type=mime), "alt": "A bridge"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize(
    "path", ["/articles/a%00b/", "/articles/topics/a%00b/", "/articles/write/%00/"], ids=repr
)
def test_a_nul_in_an_address_is_the_sites_404_page(path: str, world: World) -> None:
    assert world.clients["anonymous"].get(path).status_code == 404
    assert world.clients["therapist"].get(path).status_code == 404
