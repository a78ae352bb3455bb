from django.urls import include, path

from newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("guide/signup/", views.signup, name="signup"),
    path("guide/check-your-email/", views.signup_sent, name="signup_sent"),
    path("guide/confirm/resend/", views.confirm_resend, name="confirm_resend"),
    path("guide/confirm/<str:token>/", views.confirm, name="confirm"),
    path("guide/subscribed/", views.subscribed, name="subscribed"),
    path("guide/download/resend/", views.download_resend, name="download_resend"),
    path("guide/download/<str:token>/", views.download, name="download"),
    path("guide/fresh-link/", views.link_request, name="link_request"),
    path("guide/link-sent/", views.link_sent, name="link_sent"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/preferences/", views.preferences, name="preferences"),
    path("newsletter/preferences/<str:token>/", views.preferences_open, name="preferences_open"),
    # The mail provider's tracking webhooks (bounces, complaints): newsletter/receivers.py.
    path("newsletter/esp/<path:rest>", views.provider_webhook, name="provider_webhook"),
    path("", include("newsletter.campaign_urls")),
]
