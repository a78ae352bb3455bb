"""URLs of the patient portal and the therapist's monitoring pages, listed in ``urls.py``
before the public exercise pages (whose ``<slug>`` would otherwise answer them)."""

from django.urls import path

from exercises import monitoring_views, portal_views

portal_patterns = [
    path("today/", portal_views.today, name="today"),
    path("my/programs/<db_id:program_id>/", portal_views.program_page, name="my_program"),
    path("my/programs/<db_id:program_id>/session/", portal_views.player, name="player"),
    path("my/programs/<db_id:program_id>/paused/", portal_views.paused, name="paused"),
    path("my/sessions/<db_id:log_id>/morning/", portal_views.next_morning, name="next_morning"),
    path("my/reminders/", portal_views.reminders, name="reminders"),
    path("reminders/stop/", portal_views.reminder_stop, name="reminder_stop"),
    path("reminders/stop/<str:token>/", portal_views.reminder_stop_link, name="reminder_stop_link"),
    path("monitor/", monitoring_views.patient_list, name="monitor"),
    path(
        "monitor/patients/<db_id:patient_id>/",
        monitoring_views.patient_detail,
        name="monitor_patient",
    ),
    path(
        "monitor/patients/<db_id:patient_id>/resume-all/",
        monitoring_views.patient_resume_all,
        name="patient_resume_all",
    ),
    path("monitor/flags/<db_id:flag_id>/done/", monitoring_views.flag_done, name="flag_done"),
    path(
        "monitor/programs/<db_id:program_id>/resume/",
        monitoring_views.program_unpause,
        name="program_resume",
    ),
    path("monitor/settings/", monitoring_views.monitoring_settings, name="monitoring_settings"),
]
