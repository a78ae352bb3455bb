from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from practice.accounts.selectors import patient_therapist_get


def index(request: HttpRequest) -> HttpResponse:
    therapist = patient_therapist_get(user=request.user) if request.user.is_authenticated else None
    return render(request, "exercises/index.html", {"therapist": therapist})
