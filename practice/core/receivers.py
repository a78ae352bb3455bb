"""Signal receivers of the core, connected in ``CoreConfig.ready``."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from practice.core.models import PracticeProfile
from practice.core.page_cache import public_pages_changed


@receiver(post_save, sender=PracticeProfile, dispatch_uid="core.profile_saved_pages_change")
def practice_profile_saved(
    sender: type[PracticeProfile], created: bool = False, **kwargs: Any
) -> None:
    """Every page shows the practice's name, contact details and hours. The row is created
    from the settings by the first page that needs it, with what that page already shows."""
    if not created:
        public_pages_changed()


@receiver(post_delete, sender=PracticeProfile, dispatch_uid="core.profile_deleted_pages_change")
def practice_profile_deleted(sender: type[PracticeProfile], **kwargs: Any) -> None:
    public_pages_changed()
