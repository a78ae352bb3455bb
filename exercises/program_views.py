"""The therapist's program pages (templates, prescribing, revising) and a program's page for
the patient and her therapist. Anyone else gets 404 on a program (``selectors.program_get``)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from exercises.dosage import Dose, dose_text
from exercises.forms import ItemForm, ProgramForm, TemplateForm
from exercises.models import Condition, Program
from exercises.prescribing import (
    AcknowledgementNeeded,
    ItemInput,
    PrecautionConflict,
    patient_condition_add,
    patient_condition_remove,
    precaution_conflicts,
    program_advice,
    program_assign,
    program_items,
    program_revise,
    program_save_as_template,
    template_create,
    template_duplicate,
    template_items,
    template_update,
)
from exercises.selectors import (
    patient_conditions,
    program_get,
    template_get,
    template_list,
)
from practice.accounts.decorators import staff_two_factor_required, therapist_profile_required
from practice.accounts.models import TherapistProfile
from practice.accounts.selectors import patient_get
from practice.core.converters import database_id_parse
from practice.core.form_errors import form_errors_add

#: The most exercise rows a template or program form takes: a tampered row count builds no
#: more forms than this (it is a field error), whatever number it claims.
ROWS_MAX = 40
ItemFormSet = formset_factory(
    ItemForm, extra=0, max_num=ROWS_MAX, absolute_max=ROWS_MAX, validate_max=True
)
#: Spare empty rows under the items, and how many "More rows" adds (no JavaScript needed).
SPARE_ROWS = 2


def _initial(items: list[ItemInput]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        row = item.dose.as_fields()
        row["exercise"] = item.exercise.pk
        row["note"] = item.note
        rows.append(row)
    return rows


def _formset(request: HttpRequest, *, initial: list[dict[str, Any]], prescription: bool) -> Any:
    kwargs: dict[str, Any] = {"prefix": "items", "form_kwargs": {"prescription": prescription}}
    if request.method == "POST":
        data = request.POST.copy()
        if "more" in data:
            total = database_id_parse(data.get("items-TOTAL_FORMS", "")) or 0
            data["items-TOTAL_FORMS"] = str(min(total + SPARE_ROWS, ROWS_MAX))
        return ItemFormSet(data, **kwargs)
    formset = ItemFormSet(initial=initial, **kwargs)
    formset.extra = SPARE_ROWS
    return formset


def _items(formset: Any) -> list[ItemInput]:
    items = []
    for form in formset.forms:
        exercise = form.cleaned_data.get("exercise")
        if exercise is not None:
            items.append(
                ItemInput(exercise=exercise, dose=form.dose(), note=form.cleaned_data["note"])
            )
    return items


def _reasons(request: HttpRequest) -> dict[int, str]:
    reasons: dict[int, str] = {}
    for key, value in request.POST.items():
        exercise_id = database_id_parse(key[7:]) if key.startswith("reason-") else None
        if exercise_id is not None:
            reasons[exercise_id] = str(value)[:2000]
    return reasons


# -- templates -----------------------------------------------------------------------------


@therapist_profile_required
def templates(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    rows = [(t, dose_rows(t.items.all(), weeks=t.weeks)) for t in template_list()]
    return render(request, "exercises/programs/templates.html", {"rows": rows})


def dose_rows(items: Any, *, weeks: int | None) -> list[tuple[Any, str]]:
    return [(item, dose_text(Dose.of(item), weeks=weeks)) for item in items]


def _template_form_page(
    request: HttpRequest, therapist: TherapistProfile, template_id: int | None
) -> HttpResponse:
    template = template_get(template_id=template_id) if template_id else None
    form = TemplateForm(request.POST or None, instance=template)
    formset = _formset(
        request,
        initial=_initial(template_items(template=template)) if template else [],
        prescription=False,
    )
    submitted = request.method == "POST" and "more" not in request.POST
    if submitted and form.is_valid() and formset.is_valid():
        items = _items(formset)
        try:
            if template is None:
                template = template_create(owner=therapist, items=items, **form.cleaned_data)
            else:
                template = template_update(template=template, items=items, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved the template {template.name}.")
            for note in program_advice(items=items):
                messages.warning(request, note)
            return redirect("programs:template_edit", template_id=template.pk)
    return render(
        request,
        "exercises/programs/template_form.html",
        {"form": form, "formset": formset, "template": template},
    )


@therapist_profile_required
def template_new(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    return _template_form_page(request, therapist, None)


@therapist_profile_required
def template_edit(
    request: HttpRequest, template_id: int, therapist: TherapistProfile
) -> HttpResponse:
    return _template_form_page(request, therapist, template_id)


@require_POST
@therapist_profile_required
def template_duplicate_view(
    request: HttpRequest, template_id: int, therapist: TherapistProfile
) -> HttpResponse:
    copy = template_duplicate(template=template_get(template_id=template_id), owner=therapist)
    messages.success(request, f"Made a copy: {copy.name}.")
    return redirect("programs:template_edit", template_id=copy.pk)


# -- prescribing ---------------------------------------------------------------------------


def _conflicts(patient: Any, items: list[ItemInput]) -> list[PrecautionConflict]:
    return precaution_conflicts(patient=patient, exercises=[i.exercise for i in items])


def _program_form_page(
    request: HttpRequest,
    therapist: TherapistProfile,
    *,
    patient: Any,
    program: Program | None,
) -> HttpResponse:
    template = None
    if program is not None:
        items_now = program_items(program=program)
        initial_program: dict[str, Any] = {}
    else:
        template_id = database_id_parse(request.GET.get("template", ""))
        if template_id is not None:
            template = template_get(template_id=template_id)
        items_now = template_items(template=template) if template else []
        initial_program = (
            {"title": template.name, "instructions": template.description, "weeks": template.weeks}
            if template
            else {}
        )
    form = ProgramForm(request.POST or None, instance=program, initial=initial_program)
    formset = _formset(request, initial=_initial(items_now), prescription=True)
    conditions = patient_conditions(patient=patient)
    codes = [c.condition.code for c in conditions]
    conflicts = _conflicts(patient, items_now)
    acknowledged: set[tuple[int, int, int]] = set()
    if program is not None:
        acknowledged = {
            (a.exercise_id, a.flag_id, a.condition_id) for a in program.acknowledgements.all()
        }
    advice: list[str] = program_advice(items=items_now, condition_codes=codes)
    submitted = request.method == "POST" and "more" not in request.POST
    if submitted and form.is_valid() and formset.is_valid():
        items = _items(formset)
        conflicts = _conflicts(patient, items)
        advice = program_advice(items=items, condition_codes=codes)
        values = form.cleaned_data
        common = {
            "therapist": therapist,
            "title": values["title"],
            "instructions": values["instructions"],
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "weeks": values["weeks"],
            "items": items,
            "reasons": _reasons(request),
            "request": request,
        }
        try:
            if program is None:
                saved = program_assign(patient=patient, template=template, **common)
            else:
                saved = program_revise(program=program, summary=values["summary"], **common)
        except AcknowledgementNeeded as exc:
            form.add_error(
                None,
                "Some exercises need your acknowledgement: give a reason for each below.",
            )
            conflicts = exc.conflicts
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(
                request,
                f"{'Prescribed' if program is None else 'Revised'} {saved.title} "
                f"for {patient.get_full_name()}.",
            )
            for note in advice:
                messages.warning(request, note)
            return redirect("programs:detail", program_id=saved.pk)
    warnings = [
        c for c in conflicts if (c.exercise.pk, c.flag.pk, c.condition.pk) not in acknowledged
    ]
    return render(
        request,
        "exercises/programs/program_form.html",
        {
            "form": form,
            "formset": formset,
            "patient": patient,
            "program": program,
            "template": template,
            "templates": template_list() if program is None else [],
            "conditions": conditions,
            "warnings": warnings,
            "reasons": _reasons(request),
            "advice": advice,
        },
    )


@therapist_profile_required
def program_new(request: HttpRequest, patient_id: int, therapist: TherapistProfile) -> HttpResponse:
    profile = patient_get(therapist=therapist, patient_id=patient_id, request=request)
    return _program_form_page(request, therapist, patient=profile.user, program=None)


@therapist_profile_required
def program_edit(
    request: HttpRequest, program_id: int, therapist: TherapistProfile
) -> HttpResponse:
    program = program_get(user=request.user, program_id=program_id, request=request)  # type: ignore[arg-type]
    return _program_form_page(request, therapist, patient=program.patient, program=program)


@require_POST
@therapist_profile_required
def program_to_template(
    request: HttpRequest, program_id: int, therapist: TherapistProfile
) -> HttpResponse:
    program = program_get(user=request.user, program_id=program_id, request=request)  # type: ignore[arg-type]
    template = program_save_as_template(program=program, owner=therapist)
    messages.success(request, f"Saved a template from this program: {template.name}.")
    return redirect("programs:template_edit", template_id=template.pk)


@therapist_profile_required
def conditions_edit(
    request: HttpRequest, patient_id: int, therapist: TherapistProfile
) -> HttpResponse:
    profile = patient_get(therapist=therapist, patient_id=patient_id, request=request)
    if request.method == "POST":
        try:
            if "remove" in request.POST and request.POST["remove"].isdigit():
                patient_condition_remove(
                    therapist=therapist,
                    patient=profile.user,
                    condition_id=int(request.POST["remove"]),
                    request=request,
                )
                messages.success(request, "Removed the condition.")
            else:
                chosen = request.POST.get("condition", "")
                condition = (
                    Condition.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
                )
                if condition is None:
                    messages.error(request, "Choose a condition from the list.")
                else:
                    patient_condition_add(
                        therapist=therapist,
                        patient=profile.user,
                        condition=condition,
                        note=request.POST.get("note", "")[:300],
                        request=request,
                    )
                    messages.success(request, f"Recorded {condition.name}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("programs:conditions", patient_id=profile.user_id)
    conditions = patient_conditions(patient=profile.user)
    taken = {c.condition_id for c in conditions}
    return render(
        request,
        "exercises/programs/conditions.html",
        {
            "profile": profile,
            "conditions": conditions,
            "choices": [c for c in Condition.objects.order_by("name") if c.pk not in taken],
        },
    )


# -- a program's page ----------------------------------------------------------------------


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of patient data for her or her therapist: sign-in first, staff after two-factor
    login, never kept in a cache. Who may see which record is the selector's business."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return staff_two_factor_required(wrapper)


@signed_in
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    """The program for the patient and her therapist (with its history); others: 404."""
    program = program_get(user=request.user, program_id=program_id, request=request)  # type: ignore[arg-type]
    items = [(item, dose_text(Dose.of(item), weeks=program.weeks)) for item in program.items.all()]
    is_therapist = getattr(request.user, "is_therapist", False)
    return render(
        request,
        "exercises/programs/program_detail.html",
        {
            "program": program,
            "items": items,
            "is_therapist": is_therapist,
            "revisions": program.revisions.all() if is_therapist else [],
            "acknowledgements": program.acknowledgements.all() if is_therapist else [],
        },
    )
