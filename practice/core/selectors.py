"""Reads every floor needs: the practice profile and the practice's time zone."""

from zoneinfo import ZoneInfo

from django.core.cache import cache

from practice.core.models import CACHE_KEY, PracticeProfile, profile_defaults

CACHE_SECONDS = 60 * 60


def practice_profile() -> PracticeProfile:
    """The practice profile, created from the settings on first use; cached until it is saved."""
    profile = cache.get(CACHE_KEY)
    if profile is None:
        profile, _ = PracticeProfile.objects.get_or_create(
            pk=PracticeProfile.SINGLETON_ID, defaults=profile_defaults()
        )
        cache.set(CACHE_KEY, profile, CACHE_SECONDS)
    return profile


def practice_zone() -> ZoneInfo:
    """The practice's time zone: the one rule for times shown to staff and in emails.

    The profile's zone (edited in the admin) wins over ``PRACTICE_TIME_ZONE``, which only
    seeds the profile. Visitors are shown their own zone where a page knows it.
    """
    return ZoneInfo(str(practice_profile().time_zone))
