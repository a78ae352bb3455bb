from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from practice.accounts.selectors import patient_therapist


def index(request: HttpRequest) -> HttpResponse:
    therapist = patient_therapist(user=request.user) if request.user.is_authenticated else None
    return render(request, "exercises/index.html", {"therapist": therapist})
