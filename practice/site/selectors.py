from django.core.cache import cache
from django.db.models import QuerySet

from practice.accounts.models import TherapistProfile
from practice.site.models import CACHE_KEY, PracticeProfile, profile_defaults

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


def listed_therapists() -> QuerySet[TherapistProfile]:
    """The therapists the practice presents on its public pages, in the order it chose."""
    return TherapistProfile.objects.filter(is_listed=True, user__is_active=True).order_by(
        "sort_order", "display_name"
    )
