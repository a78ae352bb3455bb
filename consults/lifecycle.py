"""What follows a booking: the seam between booking (consults.services) and its lifecycle.

The booking service calls these after its transaction commits. The lifecycle part of the
consults app (confirmation emails with the calendar invite, the therapist's notice,
reminders as scheduled jobs) fills them in; booking itself depends on nothing here.
"""

from consults.models import Booking


def booking_confirmed(booking: Booking) -> None:
    """A new booking was committed. Nothing is sent from here yet: the lifecycle part adds
    the visitor's confirmation, the therapist's notice and the reminders."""
    del booking
