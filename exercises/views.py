from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from practice.accounts.models import PatientProfile


def index(request: HttpRequest) -> HttpResponse:
    patient = (
        PatientProfile.objects.select_related("therapist").filter(user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request, "exercises/index.html", {"therapist": patient.therapist if patient else None}
    )
