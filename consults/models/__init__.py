"""The consults app's tables, one module per part of the domain (docs/briefs: two owners).

- ``availability``: who hosts consults and when (weekly hours, date overrides, blocked periods,
  buffers, notice, horizon, daily cap).
- ``bookings``: the booked consults and the constraints that make a double booking impossible.
- ``agenda``: the host's private notes, calendar feed, and consults linked to a patient.
- ``waitlist``: people waiting for a time on a full day.
"""

from consults.models.agenda import BookingPatient, CalendarFeed, ConsultNote
from consults.models.availability import BlockedPeriod, ConsultHost, DateOverride, WeeklyHours
from consults.models.bookings import Booking, Concern
from consults.models.waitlist import WaitlistEntry

__all__ = [
    "BlockedPeriod",
    "Booking",
    "BookingPatient",
    "CalendarFeed",
    "Concern",
    "ConsultHost",
    "ConsultNote",
    "DateOverride",
    "WaitlistEntry",
    "WeeklyHours",
]
