"""Fixtures every test may use. Area fixtures live in tests/fixtures/ and are registered here."""

from pathlib import Path

import pytest
from django.core.cache import cache

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.accounts",
    "tests.fixtures.browser",
    "tests.fixtures.builtin_rows",
]

E2E_DIR = Path(__file__).parent / "e2e"
#: Fixtures that make a test a browser test, or a slow one (a real Celery worker).
BROWSER_FIXTURES = {"page", "browser"}
SLOW_FIXTURES = {"celery_worker", "celery_beat"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests ``e2e`` and worker tests ``slow``, so the inner loop can skip them."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.path.is_relative_to(E2E_DIR) or fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.e2e)
        if fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_isolated_settings(settings, tmp_path: Path):
    """Cheap password hashing, a private media folder and empty caches (rate limits, the
    practice profile's copy, the public pages and the signed-in pages kept in this
    process) per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from practice.core.kept_pages import store as kept_pages  # after Django is set up
    from practice.core.models import local_copy
    from practice.core.page_cache import store as page_store

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    local_copy.clear()
    page_store.reset()
    kept_pages.clear()
    yield
    cache.clear()
    local_copy.clear()
    page_store.reset()
    kept_pages.clear()
