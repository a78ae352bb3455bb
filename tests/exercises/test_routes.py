"""Every route of the exercises app, listed from the URLconf, against a table of who may use
it and what everyone else gets (issue 7: "tests cover every URL and API route that carries a
patient record"; docs/architecture.md, security).

- A new route without a row in ``ROUTES`` fails ``test_every_route_has_a_row``.
- Anonymous visitors get the login page on private pages, 401/403 from the API; the
  practice owner (a therapist, not hers) gets 403/404 on every route naming her record.
- A patient record (program, session log, patient, flag) in the URL: another patient and
  another therapist get 404, and nothing changes; a patient on a therapist's page gets 403.
- Every form and API input, sent garbage (missing fields, 10 kB strings, non-ASCII digits,
  numbers beyond 64 bits), answers with a message (400, the form again, or a redirect with
  the message), never a 500: the test client re-raises a view's exception.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from exercises.models import Exercise, PainFlag, Program, ProgramTemplate, SessionLog
from exercises.prescribing import template_create
from exercises.reminders import reminder_preference_save
from practice.accounts.models import PatientProfile, User
from tests.exercises.helpers import exercise_make, item_of, picture_add
from tests.exercises.portal_helpers import days_ago, program_make, session_post
from tests.fixtures.accounts import login_with_password, login_with_totp

pytestmark = pytest.mark.django_db

PUBLIC, PATIENT, THERAPIST, BOTH, TOKEN = "public", "patient", "therapist", "both", "token"


@dataclass(frozen=True)
class Route:
    """Who may use a route: ``audience`` (public, the patient, her therapist, both of them,
    or anyone holding a token); ``record``, the patient record its URL names (``program``,
    ``log``, ``patient``, ``flag``) or "" for none; ``methods`` it answers."""

    methods: tuple[str, ...]
    audience: str
    record: str = ""
    api: bool = False


GET, POST, FORM = ("GET",), ("POST",), ("GET", "POST")

ROUTES: dict[str, Route] = {
    # The public library.
    "exercises:index": Route(GET, PUBLIC),
    "exercises:detail": Route(GET, PUBLIC),
    "api:exercise-list": Route(GET, PUBLIC, api=True),
    # The therapist's library and templates: no patient record.
    "exercises:library": Route(GET, THERAPIST),
    "exercises:exercise_new": Route(FORM, THERAPIST),
    "exercises:precautions": Route(FORM, THERAPIST),
    "exercises:exercise_edit": Route(FORM, THERAPIST),
    "exercises:exercise_duplicate": Route(POST, THERAPIST),
    "exercises:exercise_image_new": Route(POST, THERAPIST),
    "exercises:exercise_image_remove": Route(POST, THERAPIST),
    "programs:templates": Route(GET, THERAPIST),
    "programs:template_new": Route(FORM, THERAPIST),
    "programs:template_edit": Route(FORM, THERAPIST),
    "programs:template_duplicate": Route(POST, THERAPIST),
    "exercises:monitoring_settings": Route(FORM, THERAPIST),
    "exercises:monitor": Route(GET, THERAPIST),
    # The patient's portal.
    "exercises:today": Route(GET, PATIENT),
    "exercises:reminders": Route(FORM, PATIENT),
    "exercises:my_program": Route(GET, PATIENT, "program"),
    "exercises:player": Route(FORM, PATIENT, "program"),
    "exercises:paused": Route(GET, PATIENT, "program"),
    "exercises:next_morning": Route(POST, PATIENT, "log"),
    "api:program_sessions": Route(POST, PATIENT, "program", api=True),
    # The emailed stop link: the token is the key, no login.
    "exercises:reminder_stop": Route(FORM, TOKEN),
    "exercises:reminder_stop_link": Route(FORM, TOKEN),
    # The therapist's pages on one patient.
    "exercises:monitor_patient": Route(GET, THERAPIST, "patient"),
    "exercises:patient_resume_all": Route(POST, THERAPIST, "patient"),
    "exercises:flag_done": Route(POST, THERAPIST, "flag"),
    "exercises:program_resume": Route(POST, THERAPIST, "program"),
    "programs:new": Route(FORM, THERAPIST, "patient"),
    "programs:conditions": Route(FORM, THERAPIST, "patient"),
    "programs:revise": Route(FORM, THERAPIST, "program"),
    "programs:save_as_template": Route(POST, THERAPIST, "program"),
    # A program for her and her therapist.
    "programs:detail": Route(GET, BOTH, "program"),
    "programs:handout": Route(GET, BOTH, "program"),
    "api:program-list": Route(GET, BOTH, api=True),
    "api:program-detail": Route(GET, BOTH, "program", api=True),
}


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        else:
            yield f"{namespace}{entry.name}" if entry.name else "", entry


def _module(pattern: URLPattern) -> str:
    view = pattern.callback
    return getattr(getattr(view, "view_class", view), "__module__", "")


def exercises_routes() -> dict[str, URLPattern]:
    """Every route whose view lives in the exercises app, by its namespaced name."""
    found: dict[str, URLPattern] = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if _module(pattern).startswith("exercises."):
            assert name, f"an unnamed exercises route: {pattern.pattern}"
            found[name] = pattern
    return found


def test_every_route_has_a_row() -> None:
    routes = exercises_routes()
    assert set(routes) - set(ROUTES) == set(), "a route with no row: add it to ROUTES"
    assert set(ROUTES) - set(routes) == set(), "a row for a route that is gone"


@dataclass
class World:
    therapist: User
    patient: User
    other_therapist: User
    other_patient: User
    program: Program
    log: SessionLog
    flag: PainFlag
    exercise: Exercise
    template: ProgramTemplate
    image_id: int
    token: str

    def kwargs(self, name: str) -> dict[str, Any]:
        pattern = exercises_routes()[name]
        values = {
            "program_id": self.program.pk,
            "log_id": self.log.pk,
            "patient_id": self.patient.pk,
            "flag_id": self.flag.pk,
            "exercise_id": self.exercise.pk,
            "image_id": self.image_id,
            "template_id": self.template.pk,
            "slug": self.exercise.slug,
            "token": self.token,
        }
        return {key: values[key] for key in pattern.pattern.converters}

    def url(self, name: str) -> str:
        return reverse(name, kwargs=self.kwargs(name))


@pytest.fixture
def world(
    therapist: User, patient: User, other_therapist: User, other_patient: User,
    patient_client: Client,
) -> World:  # fmt: skip
    program = program_make(therapist=therapist, patient=patient, start=days_ago(3, patient=patient))
    session_post(patient_client, program, pain_before="1", pain_after="8")  # red zone: a flag
    log = SessionLog.objects.get()
    SessionLog.objects.filter(pk=log.pk).update(performed_on=days_ago(1, patient=patient))
    exercise = exercise_make(name="Clamshells")
    picture_add(exercise)
    template = template_create(
        owner=therapist.therapist_profile, name="Glutes", items=[item_of(exercise)]
    )
    preference = reminder_preference_save(patient=patient, enabled=True, remind_at=time(9, 0))
    return World(
        therapist=therapist, patient=patient, other_therapist=other_therapist,
        other_patient=other_patient, program=program, log=log, flag=PainFlag.objects.get(),
        exercise=exercise, template=template, image_id=exercise.images.get().pk,
        token=preference.stop_token,
    )  # fmt: skip


def _call(client: Client, method: str, url: str, data: Any = None) -> Any:
    if method == "GET":
        return client.get(url, data or {})
    return client.post(url, data or {})


def _state(world: World) -> tuple[object, ...]:
    """What another party's request must not change."""
    world.log.refresh_from_db()
    world.flag.refresh_from_db()
    world.program.refresh_from_db()
    return (
        world.log.pain_next_morning,
        world.log.next_morning_declined,
        world.flag.resolved_at,
        world.program.paused_at,
        world.program.revision,
        SessionLog.objects.count(),
        Program.objects.count(),
        ProgramTemplate.objects.count(),
        world.patient.exercise_conditions.count(),
    )


def test_anonymous_visitors_get_the_login_page_or_401(world: World, client: Client) -> None:
    for name, route in ROUTES.items():
        if route.audience in (PUBLIC, TOKEN):
            continue
        for method in route.methods:
            response = _call(client, method, world.url(name))
            if route.api:
                assert response.status_code in (401, 403), (name, method)
            else:
                assert response.status_code == 302, (name, method)
                assert response["Location"].startswith("/accounts/login/"), (name, method)


def test_public_routes_answer_everyone(world: World, client: Client) -> None:
    for name, route in ROUTES.items():
        if route.audience == PUBLIC:
            assert client.get(world.url(name)).status_code == 200, name


def _other_client(user: User) -> Client:
    client = Client()
    if user.is_therapist:
        login_with_totp(client, user)
    else:
        login_with_password(client, user.email)
    return client


def _others_get_404(world: World, *, other: Client, own: Client, audience: str) -> int:
    """Every method of every ``audience`` route naming her record: 404 for ``other`` and
    nothing changed, while ``own`` (her, or her therapist) opens the GET ones. Returns how
    many requests were refused."""
    before = _state(world)
    refused = 0
    for name, route in ROUTES.items():
        if route.audience not in (audience, BOTH) or not route.record:
            continue
        for method in route.methods:
            assert _call(other, method, world.url(name)).status_code == 404, (name, method)
            refused += 1
        if "GET" in route.methods:
            assert own.get(world.url(name)).status_code == 200, name
    assert _state(world) == before
    return refused


def test_her_records_are_404_for_another_patient(world: World, patient_client: Client) -> None:
    other = _other_client(world.other_patient)
    assert _others_get_404(world, other=other, own=patient_client, audience=PATIENT) >= 8
    assert other.get(reverse("api:program-list")).json()["count"] == 0


def test_her_records_are_404_for_another_therapist(world: World, therapist_client: Client) -> None:
    other = _other_client(world.other_therapist)
    assert _others_get_404(world, other=other, own=therapist_client, audience=THERAPIST) >= 12
    # Her list, narrowed to another therapist's patient, holds nothing of hers.
    narrowed = other.get(reverse("api:program-list"), {"patient": world.patient.pk})
    assert narrowed.json()["count"] == 0


def test_her_records_are_404_for_her_former_therapist(
    world: World, therapist_client: Client
) -> None:
    """Moved to another therapist, she is no longer the first one's: every route naming her
    record is 404 for the therapist who prescribed her program (resume and "dealt with"
    were not, review-7), while her therapist now opens them."""
    PatientProfile.objects.filter(user=world.patient).update(
        therapist=world.other_therapist.therapist_profile
    )
    now_hers = _other_client(world.other_therapist)
    assert _others_get_404(world, other=therapist_client, own=now_hers, audience=THERAPIST) >= 12


@pytest.mark.parametrize(("signed_in", "pages_of"), [(PATIENT, THERAPIST), (THERAPIST, PATIENT)])
def test_each_is_refused_the_others_pages(
    world: World, patient_client: Client, therapist_client: Client, signed_in: str, pages_of: str
) -> None:
    """A patient on a therapist's page, or a therapist on a patient's: 403 (404 from the
    API, which has nothing of hers to show), and nothing changes."""
    client = patient_client if signed_in == PATIENT else therapist_client
    before = _state(world)
    for name, route in ROUTES.items():
        if route.audience == pages_of:
            for method in route.methods:
                expected = 404 if route.api else 403
                assert _call(client, method, world.url(name)).status_code == expected, name
    assert _state(world) == before


#: The inputs of routes that have no page of their own to read them from.
POST_ONLY_FIELDS = {
    "api:program_sessions": (
        "items", "pain_before", "pain_after", "rpe", "comment", "red_flags", "idempotency_key",
    ),
    "exercises:next_morning": ("pain", "stage", "decline"),
    "exercises:exercise_image_new": ("image", "alt_text"),
}  # fmt: skip

JUNK = ["", "١٢", "x" * 10_000, "-1", "99999999999999999999999", "2026-02-30", "<b>"]


def _fields(html: str) -> set[str]:
    """The names of a page's form fields (but the CSRF token and the site footer's)."""
    main = html[html.find("<main") :] if "<main" in html else html
    main = main[: main.find("</main>")] if "</main>" in main else main
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', main))
    return names - {"csrfmiddlewaretoken"}


def _answers_with_a_message(response: Any, *, api: bool) -> bool:
    if response.status_code in (302, 303):
        return True  # the page again with its message (flash), or done
    if api:
        return response.status_code == 400 and "error" in response.json()
    body = response.content.decode()
    return response.status_code in (200, 400) and (
        "errorlist" in body or "message--error" in body or 'class="error' in body
    )


def test_bad_input_is_a_message_never_a_500(
    world: World, therapist_client: Client, patient_client: Client
) -> None:
    clients = {PATIENT: patient_client, THERAPIST: therapist_client, BOTH: therapist_client}
    for name, route in ROUTES.items():
        if "POST" not in route.methods or route.audience in (PUBLIC, TOKEN):
            continue
        client = clients[route.audience]
        url = world.url(name)
        fields: set[str] = set()
        if "GET" in route.methods:
            fields = _fields(client.get(url).content.decode())
        for junk in JUNK:
            data = dict.fromkeys(fields or POST_ONLY_FIELDS.get(name, ("pain",)), junk)
            if route.api:
                response = client.post(url, data, content_type="application/json")
            else:
                response = client.post(url, data)
            assert response.status_code < 500, (name, junk[:20])
            if fields or route.api:
                assert _answers_with_a_message(response, api=route.api), (name, junk[:20])


def test_odd_ids_in_urls_are_404_not_500(world: World, therapist_client: Client) -> None:
    for url in (
        "/exercises/my/programs/١٢/",
        "/programs/99999999999999999999999/",
        "/exercises/monitor/patients/-1/",
        "/api/v1/programs/١٢/",
    ):
        assert therapist_client.get(url).status_code == 404, url
    response = therapist_client.get(reverse("api:program-list"), {"patient": "١٢"})
    assert response.status_code == 400
    assert "patient" in response.json()["error"]["fields"]


def test_a_tampered_row_count_builds_at_most_40_rows_and_says_so(
    world: World, therapist_client: Client
) -> None:
    """Found by the table: a claimed count of 10^20 exercise rows built 2,000 forms (1 GB and
    minutes per request), and "More rows" with a count that is not a number was a 500."""
    url = world.url("programs:new")
    response = therapist_client.post(url, {"items-TOTAL_FORMS": "99999999999999999999"})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "Please submit at most 40 forms." in html
    assert html.count('name="items-39-exercise"') == 1
    assert 'name="items-40-exercise"' not in html
    more = therapist_client.post(url, {"items-TOTAL_FORMS": "x" * 100, "more": "1"})
    assert more.status_code in (200, 400)
    assert 'name="items-1-exercise"' in more.content.decode()


def test_the_practice_owner_sees_no_patients_record_outside_the_admin(
    world: World, owner_client: Client
) -> None:
    """The owner is not her therapist: her records are 403 or 404 on every route (the
    admin, audited, is where the owner looks), and nothing changes."""
    before = _state(world)
    for name, route in ROUTES.items():
        if route.record:
            for method in route.methods:
                status = _call(owner_client, method, world.url(name)).status_code
                assert status in (403, 404), (name, method, status)
    assert owner_client.get(reverse("api:program-list")).json()["count"] == 0
    assert _state(world) == before
