"""Reads every floor needs: the practice profile and the practice's time zone."""

import time
from zoneinfo import ZoneInfo

from django.core.cache import cache

from practice.core.models import (
    CACHE_KEY,
    LOCAL_SECONDS,
    PracticeProfile,
    local_copy,
    profile_defaults,
)

CACHE_SECONDS = 60 * 60


def practice_profile() -> PracticeProfile:
    """The practice profile, created from the settings on first use; cached until it is saved
    (in the shared cache, and for ``LOCAL_SECONDS`` in this process)."""
    held = local_copy.get("profile")
    if held is not None and held[1] > time.monotonic():
        return held[0]
    profile = cache.get(CACHE_KEY)
    if profile is None:
        profile, _ = PracticeProfile.objects.get_or_create(
            pk=PracticeProfile.SINGLETON_ID, defaults=profile_defaults()
        )
        cache.set(CACHE_KEY, profile, CACHE_SECONDS)
    local_copy["profile"] = (profile, time.monotonic() + LOCAL_SECONDS)
    return profile


def practice_zone() -> ZoneInfo:
    """The practice's time zone: the one rule for times shown to staff and in emails.

    The profile's zone (edited in the admin) wins over ``PRACTICE_TIME_ZONE``, which only
    seeds the profile. Visitors are shown their own zone where a page knows it.
    """
    return ZoneInfo(str(practice_profile().time_zone))
