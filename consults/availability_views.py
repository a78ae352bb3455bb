"""The host's page to edit when she takes consults (her own rules, hours, days off)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from consults.availability import availability_forms, availability_save, host_get_or_create
from practice.accounts.decorators import therapist_profile_required
from practice.accounts.models import TherapistProfile


@therapist_profile_required
def availability(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    """GET: her rules and ranges; POST: save them all (times in her own zone)."""
    host = host_get_or_create(therapist=therapist)
    zone = host.zone
    with timezone.override(zone):
        today = timezone.localdate()
        data = request.POST if request.method == "POST" else None
        rules, formsets = availability_forms(host=host, data=data, today=today)
        if data is not None and rules.is_valid() and all(f.is_valid() for f in formsets):
            availability_save(rules=rules, formsets=formsets)
            messages.success(request, "Your consult availability is saved.")
            return redirect("consults:availability")
        context = {"host": host, "zone": zone, "rules": rules, "formsets": formsets}
        status = 400 if data is not None else 200
        return render(request, "consults/availability.html", context, status=status)
