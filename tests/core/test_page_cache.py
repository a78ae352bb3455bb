"""The whole-page cache of public pages: fast for anonymous readers, never wrong for anyone."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from practice.accounts.models import TherapistProfile, User
from practice.core.models import CACHE_KEY as PROFILE_CACHE_KEY
from practice.core.models import PracticeProfile
from practice.core.page_cache import STATUS_HEADER, VERSION_KEY, store
from practice.core.selectors import practice_profile
from tests.core import page_cache_urls
from tests.fixtures.services import wait_until

ROOT = Path(__file__).resolve().parents[2]
TEST_URLS = "tests.core.page_cache_urls"


@pytest.fixture(autouse=True)
def _calls_counted_afresh() -> None:
    page_cache_urls.calls.clear()


def served_from_store(response) -> bool:
    return response.headers.get(STATUS_HEADER) == "hit"


@pytest.mark.django_db
def test_the_second_anonymous_visit_is_served_from_the_store_without_the_database(
    client: Client, django_assert_num_queries
) -> None:
    first = client.get("/")
    assert first.status_code == 200
    assert first.headers[STATUS_HEADER] == "stored"
    with django_assert_num_queries(0):
        second = Client().get("/")
    assert served_from_store(second)
    assert second.content == first.content
    assert "Book a free 15-minute consult" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/about/", "/privacy/"])
def test_the_site_pages_are_public_and_carry_their_security_headers_when_cached(
    path: str,
) -> None:
    Client().get(path)
    cached = Client().get(path)
    assert served_from_store(cached)
    policy = cached.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "nonce-" not in policy
    assert cached.headers["X-Frame-Options"] == "DENY"
    assert cached.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in cached.headers
    assert not cached.cookies


def test_a_signed_in_visitor_never_gets_a_cached_page(
    patient_client: Client, patient: User
) -> None:
    Client().get("/")
    assert served_from_store(Client().get("/"))

    own = patient_client.get("/")
    assert not served_from_store(own)
    assert "Log out" in own.content.decode()

    # and what she saw is never handed to anyone else
    anonymous = Client().get("/").content.decode()
    assert "Log out" not in anonymous
    assert "Log in" in anonymous


@pytest.mark.django_db
def test_a_visitor_with_a_session_cookie_is_not_served_from_the_store() -> None:
    Client().get("/")
    visitor = Client()
    visitor.cookies["sessionid"] = "ended-session"
    assert not served_from_store(visitor.get("/"))


@pytest.mark.django_db
def test_the_practice_profile_change_shows_at_once(
    django_capture_on_commit_callbacks,
) -> None:
    assert "Strong Bones" in Client().get("/").content.decode()
    version_before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        profile = PracticeProfile.objects.get()
        profile.name = "Bright Bones PT"
        profile.phone = "(555) 010-9999"
        profile.save()
    page = Client().get("/")
    assert not served_from_store(page)
    assert "Bright Bones PT" in page.content.decode()
    assert "(555) 010-9999" in page.content.decode()
    assert cache.get(VERSION_KEY) != version_before  # the other processes are told


@pytest.mark.django_db
def test_a_therapist_edit_shows_on_the_home_and_about_pages(therapist: User) -> None:
    assert "Dr. Test" not in Client().get("/about/").content.decode()
    Client().get("/")
    profile = TherapistProfile.objects.get(user=therapist)
    profile.display_name = "Dr. Test Rename"
    profile.is_listed = True
    profile.save()
    assert "Dr. Test Rename" in Client().get("/").content.decode()
    assert "Dr. Test Rename" in Client().get("/about/").content.decode()

    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    assert "Dr. Test Rename" not in Client().get("/").content.decode()


@pytest.mark.django_db
def test_a_login_elsewhere_does_not_empty_the_store(therapist: User) -> None:
    Client().get("/")
    therapist.last_login = therapist.date_joined
    therapist.save(update_fields=["last_login"])
    assert served_from_store(Client().get("/"))


@pytest.mark.django_db
def test_a_change_seen_by_another_process_reaches_this_one_within_the_check_interval(
    settings,
) -> None:
    settings.PAGE_CACHE_CHECK_SECONDS = 0.3
    Client().get("/")
    # Another process saves the profile: the row changes and the shared version moves, but
    # nothing in this process is told.
    PracticeProfile.objects.update(name="Renamed Elsewhere PT")
    cache.delete(PROFILE_CACHE_KEY)
    cache.set(VERSION_KEY, "set-by-another-process", timeout=None)
    time.sleep(0.35)
    page = Client().get("/")
    assert not served_from_store(page)
    assert "Renamed Elsewhere PT" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
@pytest.mark.parametrize(
    ("path", "view"),
    [
        ("/csrf/", "csrf"),
        ("/nonce/", "nonce"),
        ("/cookie/", "cookie"),
        ("/not-found/", "not_found"),
        ("/unmarked/", "unmarked"),
    ],
)
def test_pages_that_are_not_the_same_for_everyone_are_never_stored(path: str, view: str) -> None:
    first = Client().get(path)
    second = Client().get(path)
    assert page_cache_urls.calls[view] == 2
    assert not served_from_store(second)
    if view == "csrf":
        assert first.content != second.content  # each visitor's own token
        assert "csrftoken" in second.cookies
    if view == "nonce":
        assert "nonce-" in second.headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_a_flash_message_is_shown_to_its_visitor_only() -> None:
    first = Client().get("/message/")
    assert "Thanks, you are signed up" in first.content.decode()
    second = Client().get("/message/")
    assert page_cache_urls.calls["message"] == 2
    assert not served_from_store(second)
    assert "Thanks, you are signed up" not in Client().get("/privacy/").content.decode()


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_only_plain_reads_are_served_from_the_store() -> None:
    Client().get("/plain/")
    assert served_from_store(Client().get("/plain/"))
    assert not served_from_store(Client().head("/plain/"))
    assert not served_from_store(Client().post("/plain/"))
    assert not served_from_store(Client().get("/plain/", HTTP_AUTHORIZATION="Token abc"))
    long_query = "/plain/?q=" + "x" * 2000
    Client().get(long_query)
    assert not served_from_store(Client().get(long_query))
    assert page_cache_urls.calls["plain"] == 6  # all but the second GET ran the view


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_each_address_with_its_query_is_its_own_page() -> None:
    Client().get("/plain/?page=1")
    assert served_from_store(Client().get("/plain/?page=1"))
    assert not served_from_store(Client().get("/plain/?page=2"))


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_the_store_stays_within_its_memory_bound_and_keeps_what_is_read(settings) -> None:
    Client().get("/plain/?page=0")
    one_page = store.size_bytes
    assert one_page > 0
    settings.PAGE_CACHE_MAX_BYTES = one_page * 5 + one_page // 2
    for number in range(1, 200):
        Client().get(f"/plain/?page={number}")
        Client().get("/plain/?page=0")  # read often: stays
        assert store.size_bytes <= settings.PAGE_CACHE_MAX_BYTES
    assert len(store) == 5
    assert served_from_store(Client().get("/plain/?page=0"))
    assert served_from_store(Client().get("/plain/?page=199"))
    assert not served_from_store(Client().get("/plain/?page=1"))


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_a_page_is_not_kept_past_its_maximum_age(settings) -> None:
    settings.PAGE_CACHE_MAX_AGE = 0.2
    Client().get("/plain/")
    assert served_from_store(Client().get("/plain/"))
    time.sleep(0.25)
    assert not served_from_store(Client().get("/plain/"))


@pytest.mark.django_db
@pytest.mark.urls(TEST_URLS)
def test_switched_off_it_stores_nothing(settings) -> None:
    settings.PAGE_CACHE_ENABLED = False
    Client().get("/plain/")
    Client().get("/plain/")
    assert page_cache_urls.calls["plain"] == 2
    assert len(store) == 0


# --- Several processes ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def site_server(workers: int) -> Iterator[int]:
    """The site under gunicorn, in processes of their own, on the test database."""
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="") + ":" + quote(db["PASSWORD"] or "", safe="")
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "practice.wsgi:application"),
            *(f"--bind=127.0.0.1:{port}", f"--workers={workers}", "--log-level=warning"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PAGE_CACHE_CHECK_SECONDS": "1",
        },
    )
    try:
        wait_until(lambda: _answers(port), timeout=30, what="gunicorn to answer")
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)


def _answers(port: int) -> bool:
    try:
        return _get(port, "/")[0] == 200
    except OSError:
        return False


def _get(port: int, path: str) -> tuple[int, str, str]:
    """Status, X-Page-Cache and body, on a new connection (so any worker may answer)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.getheader(STATUS_HEADER, ""), response.read().decode()
    finally:
        conn.close()


@pytest.mark.slow
def test_a_saved_change_shows_in_every_server_process_within_the_staleness_bound(
    transactional_db: None,
) -> None:
    profile = practice_profile()
    with site_server(workers=2) as port:
        answers = [_get(port, "/") for _ in range(8)]
        assert any(cached == "hit" for _, cached, _ in answers)
        assert all(profile.name in body for _, _, body in answers)

        profile.name = "Bright Bones PT"
        profile.save()  # commits: the shared version moves
        time.sleep(1.0 + 0.5)  # PAGE_CACHE_CHECK_SECONDS, and margin for the request

        answers = [_get(port, "/") for _ in range(8)]
        assert all("Bright Bones PT" in body for _, _, body in answers)
        assert any(cached == "hit" for _, cached, _ in answers)  # and cached again


@pytest.mark.django_db
def test_a_plain_http_visit_is_still_sent_to_https(settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    Client().get("/", secure=True)
    assert served_from_store(Client().get("/", secure=True))
    insecure = Client().get("/")
    assert insecure.status_code == 301
    assert insecure["Location"] == "https://testserver/"
