"""Demo data of the core: the practice profile, from the settings' defaults."""

from practice.core.models import PracticeProfile, profile_defaults


def seed() -> None:
    """Make the practice profile if there is none; keep an edited one as it is."""
    PracticeProfile.objects.get_or_create(
        pk=PracticeProfile.SINGLETON_ID, defaults=profile_defaults()
    )
