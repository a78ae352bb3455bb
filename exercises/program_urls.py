"""Program pages, under /programs/ (namespace ``programs``)."""

from django.urls import path

from exercises import handout_views, program_views

app_name = "programs"
urlpatterns = [
    path("templates/", program_views.templates, name="templates"),
    path("templates/new/", program_views.template_new, name="template_new"),
    path("templates/<db_id:template_id>/", program_views.template_edit, name="template_edit"),
    path(
        "templates/<db_id:template_id>/duplicate/",
        program_views.template_duplicate_view,
        name="template_duplicate",
    ),
    path("patients/<db_id:patient_id>/new/", program_views.program_new, name="new"),
    path(
        "patients/<db_id:patient_id>/conditions/",
        program_views.conditions_edit,
        name="conditions",
    ),
    path("<db_id:program_id>/", program_views.program_detail, name="detail"),
    path("<db_id:program_id>/revise/", program_views.program_edit, name="revise"),
    path(
        "<db_id:program_id>/save-as-template/",
        program_views.program_to_template,
        name="save_as_template",
    ),
    path("<db_id:program_id>/handout.pdf", handout_views.program_handout, name="handout"),
]
