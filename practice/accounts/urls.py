from django.urls import path

from practice.accounts import views

app_name = "accounts"
urlpatterns = [
    path("patients/", views.patient_list, name="patients"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient_detail"),
    path(
        "patients/<int:patient_id>/invite/",
        views.patient_invite_resend,
        name="patient_invite_resend",
    ),
    path("invite/<str:token>/", views.invite_accept, name="invite_accept"),
    # Same address as allauth's page, listed first so ours answers (see the view).
    path("2fa/totp/activate/", views.ActivateTOTPView.as_view(), name="activate_totp"),
]
