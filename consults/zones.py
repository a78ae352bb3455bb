"""The IANA zone names a visitor may choose: the tz database's, read once per process
(``zoneinfo.available_timezones()`` walks the tz files on every call)."""

from practice.core.timezones import TIME_ZONE_CHOICES

KNOWN_ZONES = frozenset(name for name, _ in TIME_ZONE_CHOICES)
