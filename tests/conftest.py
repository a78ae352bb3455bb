"""Fixtures every test may use. Area fixtures live in tests/fixtures/ and are registered here."""

from pathlib import Path

import pytest
from django.core.cache import cache

pytest_plugins = ["tests.fixtures.services", "tests.fixtures.accounts", "tests.fixtures.browser"]


@pytest.fixture(autouse=True)
def _fast_isolated_settings(settings, tmp_path: Path):
    """Cheap password hashing, a private media folder and an empty cache (rate limits) per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()
