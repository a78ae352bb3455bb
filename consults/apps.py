from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from consults.slot_cache import slots_changed


class ConsultsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consults"

    def ready(self) -> None:
        # Free slots are memoised per process (consults.slot_cache): every save or delete of
        # what they are computed from makes the memo stale, whichever code path made it.
        from consults.models import BlockedPeriod, Booking, ConsultHost, DateOverride, WeeklyHours
        from practice.accounts.models import TherapistProfile

        sources = (Booking, ConsultHost, WeeklyHours, DateOverride, BlockedPeriod, TherapistProfile)
        for model in sources:
            uid = f"consults-slots-{model.__name__}"
            post_save.connect(_slots_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_slots_changed, sender=model, dispatch_uid=uid)


def _slots_changed(**kwargs: Any) -> None:
    slots_changed()
