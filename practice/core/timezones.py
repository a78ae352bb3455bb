"""Time zones as profiles store them: IANA names, offered from the machine's tz database."""

import zoneinfo
from typing import Any

from django.conf import settings
from django.db import models

#: Names in the tz database that are no place: "localtime" is whatever the server's machine is
#: set to, "Factory" a placeholder for machines with no zone set.
NOT_PLACES = frozenset({"localtime", "Factory"})
TIME_ZONE_CHOICES = [
    (tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones() - NOT_PLACES)
]


class TimeZoneField(models.CharField):
    """An IANA time zone name; the choices stay out of migrations since tzdata changes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs["choices"] = TIME_ZONE_CHOICES
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, path, args, kwargs


def practice_time_zone() -> str:
    """The default for new profiles, read when a row is made (not frozen into a migration)."""
    return str(settings.PRACTICE_TIME_ZONE)
