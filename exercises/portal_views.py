"""The patient's pages: Today, a program, the guided player with its logging form, the
next morning's pain, and reminders (with the no-login stop link)."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from exercises.models import Program, SessionLog
from exercises.reminders import (
    reminder_preference_get,
    reminder_preference_save,
    reminder_stop_by_token,
    reminder_token_valid,
)
from exercises.schedule import patient_today, patient_zone
from exercises.session_forms import NextMorningForm, Pain48hForm, ReminderForm, SessionLogForm
from exercises.session_log import (
    next_morning_pending,
    next_morning_record,
    pain_48h_pending,
    pain_48h_record,
    program_loggable_check,
    session_log,
)
from exercises.today import (
    past_programs,
    patient_log_get,
    patient_program_get,
    patient_recent_logs,
    today_programs,
)
from practice.accounts.decorators import patient_required
from practice.accounts.models import User
from practice.accounts.selectors import patient_therapist_get
from practice.core.form_errors import form_errors_add

STOP_TOKEN_SESSION_KEY = "exercises_reminder_stop_token"  # noqa: S105 (a session key name)


def _patient(request: HttpRequest) -> User:
    """The signed-in patient (the views are behind ``patient_required``)."""
    return cast(User, request.user)


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


@patient_required
def today(request: HttpRequest) -> HttpResponse:
    """What is due today and what is done, for every program of hers that runs today or later."""
    day = patient_today(patient_id=_patient(request).pk)
    pending = next_morning_pending(patient=_patient(request), today=day)
    later = None if pending else pain_48h_pending(patient=_patient(request), today=day)
    context = {
        "today": day,
        "programs": today_programs(patient=_patient(request), today=day),
        "past_programs": past_programs(patient=_patient(request), today=day),
        "morning_log": pending,
        "morning_form": NextMorningForm() if pending else None,
        "later_log": later,
        "later_form": Pain48hForm() if later else None,
        "therapist": patient_therapist_get(user=_patient(request)),
        "reminder": reminder_preference_get(patient=_patient(request)),
    }
    return _private(render(request, "exercises/today.html", context))


@patient_required
def program_page(request: HttpRequest, program_id: int) -> HttpResponse:
    """The whole program: each exercise with its pictures, steps and dose in plain words."""
    program = patient_program_get(patient=_patient(request), program_id=program_id)
    context = {
        "program": program,
        "items": list(program.items.all()),
        "today": patient_today(patient_id=_patient(request).pk),
        "logs": patient_recent_logs(patient=_patient(request), program=program),
    }
    return _private(render(request, "exercises/program.html", context))


def _player_context(program: Program, form: SessionLogForm, request: HttpRequest) -> dict[str, Any]:
    day = patient_today(patient_id=_patient(request).pk)
    refusal = ""
    try:
        program_loggable_check(program=program, today=day)
    except ValidationError as exc:
        refusal = exc.messages[0]
    return {"program": program, "items": form.items, "form": form, "refusal": refusal}


@patient_required
@require_http_methods(["GET", "POST"])
def player(request: HttpRequest, program_id: int) -> HttpResponse:
    """The guided player and, below it (and alone without JavaScript), the logging form."""
    program = patient_program_get(patient=_patient(request), program_id=program_id)
    items = list(program.items.all())
    if request.method == "GET":
        form = SessionLogForm(items=items)
        return _private(
            render(request, "exercises/player.html", _player_context(program, form, request))
        )
    form = SessionLogForm(request.POST, items=items)
    if form.is_valid():
        data = form.cleaned_data
        try:
            log, _created = session_log(
                patient=_patient(request),
                program_id=program.pk,
                items=form.reports(),
                pain_before=data["pain_before"],
                pain_after=data["pain_after"],
                rpe=data["rpe"],
                comment=data["comment"],
                red_flags=data["red_flags"],
                idempotency_key=data["idempotency_key"],
                source=SessionLog.Source.PLAYER
                if request.POST.get("via") == "player"
                else SessionLog.Source.FORM,
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            if log.red_flags:
                return redirect("exercises:paused", program_id=program.pk)
            messages.success(request, "Your session is logged. Well done, and thank you.")
            return redirect("exercises:today")
    response = render(request, "exercises/player.html", _player_context(program, form, request))
    response.status_code = 400
    return _private(response)


@patient_required
def paused(request: HttpRequest, program_id: int) -> HttpResponse:
    """What to do now that she reported a red-flag symptom: call the practice."""
    program = patient_program_get(patient=_patient(request), program_id=program_id)
    therapist = patient_therapist_get(user=_patient(request))
    return _private(
        render(request, "exercises/paused.html", {"program": program, "therapist": therapist})
    )


@patient_required
@require_POST
def next_morning(request: HttpRequest, log_id: int) -> HttpResponse:
    """Her answer to "how is your pain this morning?" (or "not now"); with ``stage=48h``,
    to "has your pain settled?" two days after."""
    log_id = patient_log_get(patient=_patient(request), log_id=log_id).pk
    if request.POST.get("stage") == "48h":
        return _pain_48h(request, log_id)
    if request.POST.get("decline"):
        next_morning_record(patient=_patient(request), log_id=log_id, pain=None)
        return redirect("exercises:today")
    form = NextMorningForm(request.POST)
    if form.is_valid():
        next_morning_record(
            patient=_patient(request), log_id=log_id, pain=form.cleaned_data["pain"]
        )
        messages.success(request, "Thank you: your therapist will see how you feel this morning.")
    else:
        messages.error(request, "Choose a number from 0 to 10 for your pain this morning.")
    return redirect("exercises:today")


def _pain_48h(request: HttpRequest, log_id: int) -> HttpResponse:
    if request.POST.get("decline"):
        pain_48h_record(patient=_patient(request), log_id=log_id, pain=None)
        return redirect("exercises:today")
    form = Pain48hForm(request.POST)
    if form.is_valid():
        pain_48h_record(patient=_patient(request), log_id=log_id, pain=form.cleaned_data["pain"])
        messages.success(request, "Thank you: your therapist will see how you feel now.")
    else:
        messages.error(request, "Choose a number from 0 to 10 for your pain now.")
    return redirect("exercises:today")


@patient_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """Her daily reminder email: on or off, and at what time of her day."""
    preference = reminder_preference_get(patient=_patient(request))
    zone = patient_zone(patient_id=_patient(request).pk)
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            reminder_preference_save(
                patient=_patient(request),
                enabled=form.cleaned_data["enabled"],
                remind_at=form.cleaned_data["remind_at"],
            )
            messages.success(
                request,
                "Reminders are on." if form.cleaned_data["enabled"] else "Reminders are off.",
            )
            return redirect("exercises:reminders")
    else:
        form = ReminderForm(
            initial={
                "enabled": bool(preference and preference.enabled),
                "remind_at": preference.remind_at if preference else "09:00",
            }
        )
    return _private(
        render(
            request,
            "exercises/reminders.html",
            {"form": form, "zone_name": str(zone).rsplit("/", 1)[-1].replace("_", " ")},
        )
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminder_stop_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed stop link. A GET keeps the token in the session and moves to a clean URL
    (no token in history or referrers); a POST is the mail client's one-click stop
    (RFC 8058, ``List-Unsubscribe=One-Click``), which needs no page."""
    if request.method == "POST":
        reminder_stop_by_token(token=token)
        return HttpResponse("Reminders stopped.", content_type="text/plain")
    request.session[STOP_TOKEN_SESSION_KEY] = token
    return _private(HttpResponseRedirect(reverse("exercises:reminder_stop")))


@require_http_methods(["GET", "POST"])
def reminder_stop(request: HttpRequest) -> HttpResponse:
    """Stop reminders from the emailed link, with one press and no login."""
    token = request.session.get(STOP_TOKEN_SESSION_KEY, "")
    if request.method == "POST":
        stopped = reminder_stop_by_token(token=token)
        request.session.pop(STOP_TOKEN_SESSION_KEY, None)
        status = 200 if stopped else 404
        return _private(
            render(request, "exercises/reminder_stopped.html", {"stopped": stopped}, status=status)
        )
    valid = reminder_token_valid(token=token)
    status = 200 if valid else 404
    return _private(
        render(request, "exercises/reminder_stop.html", {"valid": valid}, status=status)
    )
