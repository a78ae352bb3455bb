from django.urls import path

from practice.accounts import views

app_name = "accounts"
urlpatterns = [
    path("my-program/", views.my_program, name="my_program"),
    path("accounts/patients/", views.patient_list, name="patients"),
    path("accounts/patients/<db_id:patient_id>/", views.patient_detail, name="patient_detail"),
    path(
        "accounts/patients/<db_id:patient_id>/invite/",
        views.patient_invite_resend,
        name="patient_invite_resend",
    ),
    path("accounts/invite/", views.invite_accept, name="invite"),
    path("accounts/invite/<str:token>/", views.invite_link, name="invite_link"),
    path("accounts/therapist/", views.therapist_confirm, name="therapist_confirm"),
    path("accounts/therapist/<str:token>/", views.therapist_link, name="therapist_link"),
    # Same addresses as allauth's pages, listed first so ours answer (see the views).
    path("accounts/signup/", views.SignupView.as_view(), name="signup"),
    path("accounts/2fa/totp/activate/", views.ActivateTOTPView.as_view(), name="activate_totp"),
    path(
        "accounts/2fa/recovery-codes/",
        views.ViewRecoveryCodesView.as_view(),
        name="view_recovery_codes",
    ),
]
