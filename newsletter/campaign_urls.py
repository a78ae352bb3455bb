"""The campaign pages, included in ``newsletter.urls`` (namespace ``newsletter``)."""

from django.urls import path

from newsletter import campaign_views as views

urlpatterns = [
    path("newsletter/archive/", views.archive_list, name="archive"),
    path("newsletter/archive/<db_id:pk>/", views.archive_detail, name="archive_detail"),
    path("newsletter/campaigns/", views.campaign_list, name="campaigns"),
    path("newsletter/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("newsletter/campaigns/<db_id:pk>/", views.campaign_detail, name="campaign_detail"),
    path("newsletter/campaigns/<db_id:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path(
        "newsletter/campaigns/<db_id:pk>/preview/", views.campaign_preview, name="campaign_preview"
    ),
    *(
        path(
            f"newsletter/campaigns/<db_id:pk>/{action}/",
            getattr(views, f"campaign_{action}"),
            name=f"campaign_{action}",
        )
        for action in (
            "send",
            "schedule",
            "unschedule",
            "pause",
            "resume",
            "cancel",
            "test",
            "duplicate",
        )
    ),
]
