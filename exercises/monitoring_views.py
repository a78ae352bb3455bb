"""The therapist's pages: her patients' adherence and pain, one patient's detail, flags,
resuming a paused program, and her pain-monitoring settings."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from exercises.adherence import (
    flag_get,
    monitor_patient_get,
    therapist_program_get,
)
from exercises.models import MonitoringSettings
from exercises.monitor_page import monitor_list_page
from exercises.monitoring import flag_resolve, monitoring_settings_save
from exercises.monitoring_forms import MonitoringSettingsForm
from exercises.pain_chart import pain_chart_svg
from exercises.session_log import program_resume, programs_resume_all
from practice.accounts.decorators import therapist_profile_required
from practice.accounts.models import TherapistProfile


@therapist_profile_required
def patient_list(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    return monitor_list_page(request=request, therapist=therapist)


@therapist_profile_required
def patient_detail(
    request: HttpRequest, patient_id: int, therapist: TherapistProfile
) -> HttpResponse:
    monitor = monitor_patient_get(therapist=therapist, patient_id=patient_id, request=request)
    chart = pain_chart_svg(monitor.points, thresholds=monitor.thresholds)
    return render(
        request,
        "exercises/monitor_patient.html",
        {"monitor": monitor, "chart": chart, "therapist": therapist},
    )


@therapist_profile_required
@require_POST
def flag_done(request: HttpRequest, flag_id: int, therapist: TherapistProfile) -> HttpResponse:
    flag = flag_get(therapist=therapist, flag_id=flag_id)
    flag_resolve(therapist=therapist, flag=flag, request=request)
    messages.success(request, "Flag marked as dealt with.")
    return redirect("exercises:monitor_patient", patient_id=flag.patient_id)


@therapist_profile_required
@require_POST
def program_unpause(
    request: HttpRequest, program_id: int, therapist: TherapistProfile
) -> HttpResponse:
    program = therapist_program_get(therapist=therapist, program_id=program_id)
    if program_resume(therapist=therapist, program=program, request=request):
        messages.success(request, f"{program.title} is running again.")
    else:
        messages.info(request, f"{program.title} is not paused.")
    return redirect("exercises:monitor_patient", patient_id=program.patient_id)


@therapist_profile_required
@require_POST
def patient_resume_all(
    request: HttpRequest, patient_id: int, therapist: TherapistProfile
) -> HttpResponse:
    """Resume all her paused programs at once (see ``programs_resume_all``)."""
    resumed = programs_resume_all(therapist=therapist, patient_id=patient_id, request=request)
    if resumed:
        titles = ", ".join(program.title for program in resumed)
        messages.success(request, f"Running again: {titles}.")
    else:
        messages.info(request, "None of her programs is paused.")
    return redirect("exercises:monitor_patient", patient_id=patient_id)


@therapist_profile_required
@require_http_methods(["GET", "POST"])
def monitoring_settings(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    instance = MonitoringSettings.objects.filter(therapist=therapist).first() or MonitoringSettings(
        therapist=therapist
    )
    form = MonitoringSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        monitoring_settings_save(therapist=therapist, thresholds=form.thresholds())
        messages.success(request, "Your pain-monitoring settings are saved.")
        return redirect("exercises:monitoring_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "exercises/monitoring_settings.html", {"form": form}, status=status)
