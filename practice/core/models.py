"""The practice itself: one editable row holding what every page says about it."""

import re
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

from practice.core.timezones import TimeZoneField

# Cached as a pickled instance, which only a matching Django version may read back.
CACHE_KEY = f"core:practice_profile:django-{django.get_version()}"

DEFAULT_TAGLINE = "Gentle, expert care for strong bones at every age"
DEFAULT_HOURS = "Monday to Thursday, 8 am to 5 pm\nFriday, 8 am to 12 noon"


def profile_defaults() -> dict[str, str]:
    return {
        "name": settings.PRACTICE_NAME,
        "tagline": DEFAULT_TAGLINE,
        "phone": settings.PRACTICE_PHONE,
        "email": settings.PRACTICE_EMAIL,
        "address": settings.PRACTICE_ADDRESS,
        "hours": DEFAULT_HOURS,
        "time_zone": settings.PRACTICE_TIME_ZONE,
    }


class PracticeProfile(models.Model):
    """The practice's name and contact details, edited in the admin. There is only one."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    name = models.CharField(max_length=150)
    tagline = models.CharField(
        max_length=200, blank=True, help_text="A short line shown under the name on the home page."
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, help_text="One line per line of the postal address.")
    hours = models.TextField(
        "opening hours", blank=True, help_text="One line per day or group of days."
    )
    time_zone = TimeZoneField()

    class Meta:
        verbose_name = "practice profile"
        verbose_name_plural = "practice profile"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="practice_profile_singleton"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)
        forget_cached_profile()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        forget_cached_profile()
        return result

    @property
    def phone_href(self) -> str:
        """A tel: link with only the characters a phone dialler understands."""
        return "tel:" + re.sub(r"[^\d+]", "", self.phone)


#: Each process also keeps the profile it last read for this many seconds, so a page does not
#: ask the cache (a Redis round trip) for it on every request. A save clears it at once in the
#: saving process; the other processes (web workers, Celery) see the change within this time.
LOCAL_SECONDS = 5.0
#: ``{"profile": (PracticeProfile, monotonic time it expires)}``, shared by the process's threads.
local_copy: dict[str, tuple["PracticeProfile", float]] = {}


def forget_cached_profile() -> None:
    """Drop the cached copies now, and again on commit in case a reader re-cached the old row."""
    local_copy.clear()
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


class Redirect(models.Model):
    """An address the practice's pages used to have (an old blog's post, a renamed page) and
    where it lives now: answered with a 301 when nothing else answers it."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="The old address on this domain, from the first slash: /2019/09/weak-glutes/ "
        "or /?p=12.",
    )
    new_path = models.CharField(max_length=500, help_text="Where it lives now: /articles/...")
    note = models.CharField(max_length=200, blank=True, help_text="Where this redirect came from.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"
