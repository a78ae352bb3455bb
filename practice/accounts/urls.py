from django.urls import path, register_converter

from practice.accounts import views
from practice.accounts.converters import DatabaseIdConverter

register_converter(DatabaseIdConverter, "db_id")

app_name = "accounts"
urlpatterns = [
    path("patients/", views.patient_list, name="patients"),
    path("patients/<db_id:patient_id>/", views.patient_detail, name="patient_detail"),
    path(
        "patients/<db_id:patient_id>/invite/",
        views.patient_invite_resend,
        name="patient_invite_resend",
    ),
    path("invite/<str:token>/", views.invite_accept, name="invite_accept"),
    # Same addresses as allauth's pages, listed first so ours answer (see the views).
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("2fa/totp/activate/", views.ActivateTOTPView.as_view(), name="activate_totp"),
    path("2fa/recovery-codes/", views.ViewRecoveryCodesView.as_view(), name="view_recovery_codes"),
]
