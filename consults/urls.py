from django.urls import path

from consults import (
    availability_views,
    held_views,
    host_views,
    manage_views,
    patient_views,
    views,
    waitlist_views,
)

app_name = "consults"
urlpatterns = [
    path("book/", views.book, name="book"),
    path("booked/", views.booked, name="booked"),
    path("availability/", availability_views.availability, name="availability"),
    # The visitor's own consult, from the signed link in her emails (no login).
    path("manage/link/<str:token>/", manage_views.manage_link, name="manage_link"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/cancel/", manage_views.cancel, name="manage_cancel"),
    path("manage/reschedule/", manage_views.reschedule, name="manage_reschedule"),
    # The offer to an address that asked for a second consult (signed link, no login).
    path("held/link/<str:token>/", held_views.held_link, name="held_link"),
    path("held/", held_views.held, name="held"),
    path("waitlist/", waitlist_views.waitlist, name="waitlist"),
    path("waitlist/leave/<str:token>/", waitlist_views.waitlist_leave_link, name="waitlist_leave"),
    # Existing patients: confirm a consult is hers; her list in the portal.
    path("record/link/<str:token>/", patient_views.patient_link, name="patient_link"),
    path("record/link/", patient_views.patient_link_confirm_page, name="patient_link_confirm"),
    path("mine/", patient_views.my_consults, name="mine"),
    # The host's side.
    path("agenda/", host_views.agenda_page, name="agenda"),
    path("agenda/block/", host_views.time_block, name="agenda_block"),
    path(
        "agenda/block/<db_id:period_id>/remove/",
        host_views.time_unblock,
        name="agenda_unblock",
    ),
    path("agenda/<db_id:booking_id>/", host_views.booking_page, name="agenda_booking"),
    path("agenda/<db_id:booking_id>/mark/", host_views.booking_mark, name="agenda_mark"),
    path(
        "agenda/<db_id:booking_id>/cancel/",
        host_views.booking_cancel_by_host,
        name="agenda_cancel",
    ),
    path("agenda/feed/", host_views.feed_page, name="feed"),
    path("feed/<str:token>.ics", host_views.feed_ics_view, name="feed_ics"),
]
