"""The consults app's tables, one module per part of the domain (docs/briefs: two owners).

- ``availability``: who hosts consults and when (weekly hours, date overrides, blocked periods,
  buffers, notice, horizon, daily cap).
- ``bookings``: the booked consults and the constraints that make a double booking impossible.
"""

from consults.models.availability import BlockedPeriod, ConsultHost, DateOverride, WeeklyHours
from consults.models.bookings import Booking, Concern

__all__ = [
    "BlockedPeriod",
    "Booking",
    "Concern",
    "ConsultHost",
    "DateOverride",
    "WeeklyHours",
]
