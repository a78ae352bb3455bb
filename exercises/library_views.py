"""Pages of the exercise library: the public index and exercise pages, and the therapist's
pages to write, illustrate and duplicate exercises, add precaution flags and map conditions
to them. The library holds no patient data."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from exercises.dosage import Dose, dose_advice, dose_text
from exercises.forms import (
    ConditionForm,
    ExerciseForm,
    ExerciseImageForm,
    FlagForm,
)
from exercises.models import BodyRegion, ConditionPrecaution, ExerciseImage, ExerciseKind
from exercises.selectors import (
    condition_list,
    exercise_get,
    exercise_list,
    exercise_public_get,
    exercise_public_list,
    flag_list,
)
from exercises.services import (
    condition_create,
    condition_precautions_set,
    exercise_create,
    exercise_duplicate,
    exercise_image_add,
    exercise_image_delete,
    exercise_update,
    flag_create,
)
from practice.accounts.decorators import therapist_profile_required
from practice.accounts.models import TherapistProfile
from practice.core.form_errors import form_errors_add
from practice.core.page_cache import public_page

# -- public --------------------------------------------------------------------------------


@public_page
def exercise_index(request: HttpRequest) -> HttpResponse:
    """The public library, searchable by words, kind and body region (GET, no JavaScript)."""
    query = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    region = request.GET.get("region", "")
    kind = kind if kind in ExerciseKind.values else ""
    region = region if region in BodyRegion.values else ""
    cards = exercise_public_list(query=query, kind=kind, region=region)
    return render(
        request,
        "exercises/index.html",
        {
            "cards": cards,
            "query": query,
            "kind": kind,
            "region": region,
            "kinds": ExerciseKind.choices,
            "regions": BodyRegion.choices,
            "filtered": bool(query or kind or region),
        },
    )


@public_page
def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public exercise with its steps, pictures and a "try it" timer for its default dose;
    unknown or private: the site's 404."""
    exercise = exercise_public_get(slug=slug)
    return render(
        request,
        "exercises/exercise_detail.html",
        {
            "exercise": exercise,
            "dose": Dose.of(exercise),
            "dose_text": dose_text(Dose.of(exercise)),
        },
    )


# -- the therapist's library ---------------------------------------------------------------


@therapist_profile_required
def library(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "exercises/manage/library.html",
        {"exercises": exercise_list(query=query), "query": query},
    )


def _exercise_form_save(
    request: HttpRequest, form: ExerciseForm, therapist: TherapistProfile
) -> Any:
    data = dict(form.cleaned_data)
    flags = list(data.pop("precaution_flags"))
    progressions = list(data.pop("progressions"))
    try:
        if form.instance.pk:
            exercise = exercise_update(
                exercise=form.instance, fields=data, flags=flags, progressions=progressions
            )
        else:
            exercise = exercise_create(
                therapist=therapist, fields=data, flags=flags, progressions=progressions
            )
    except ValidationError as exc:
        form_errors_add(form, exc)
        return None
    for note in dose_advice(Dose.of(exercise), kind=exercise.kind):
        messages.warning(request, note)
    return exercise


@therapist_profile_required
def exercise_new(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    form = ExerciseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        exercise = _exercise_form_save(request, form, therapist)
        if exercise is not None:
            messages.success(request, f"{exercise.name} is in the library.")
            return redirect("exercises:exercise_edit", exercise_id=exercise.pk)
    return render(request, "exercises/manage/exercise_form.html", {"form": form})


@therapist_profile_required
def exercise_edit(
    request: HttpRequest, exercise_id: int, therapist: TherapistProfile
) -> HttpResponse:
    exercise = exercise_get(exercise_id=exercise_id)
    form = ExerciseForm(request.POST or None, instance=exercise)
    if request.method == "POST" and form.is_valid():
        saved = _exercise_form_save(request, form, therapist)
        if saved is not None:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("exercises:exercise_edit", exercise_id=saved.pk)
    advice = dose_advice(Dose.of(exercise), kind=exercise.kind) if request.method == "GET" else []
    return render(
        request,
        "exercises/manage/exercise_form.html",
        {
            "form": form,
            "exercise": exercise,
            "advice": advice,
            "image_form": ExerciseImageForm(),
        },
    )


@require_POST
@therapist_profile_required
def exercise_duplicate_view(
    request: HttpRequest, exercise_id: int, therapist: TherapistProfile
) -> HttpResponse:
    exercise = exercise_get(exercise_id=exercise_id)
    copy = exercise_duplicate(exercise=exercise, therapist=therapist)
    messages.success(request, f"Made a private copy: {copy.name}. Change it as you need.")
    return redirect("exercises:exercise_edit", exercise_id=copy.pk)


@require_POST
@therapist_profile_required
def exercise_image_new(
    request: HttpRequest, exercise_id: int, therapist: TherapistProfile
) -> HttpResponse:
    exercise = exercise_get(exercise_id=exercise_id)
    form = ExerciseImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            exercise_image_add(
                exercise=exercise,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Added the picture.")
            return redirect("exercises:exercise_edit", exercise_id=exercise.pk)
    return render(
        request,
        "exercises/manage/exercise_form.html",
        {
            "form": ExerciseForm(instance=exercise),
            "exercise": exercise,
            "image_form": form,
        },
        status=400,
    )


@require_POST
@therapist_profile_required
def exercise_image_remove(
    request: HttpRequest, exercise_id: int, image_id: int, therapist: TherapistProfile
) -> HttpResponse:
    image = get_object_or_404(ExerciseImage, pk=image_id, exercise_id=exercise_id)
    exercise_image_delete(image=image)
    messages.success(request, "Removed the picture.")
    return redirect("exercises:exercise_edit", exercise_id=exercise_id)


@therapist_profile_required
def precautions(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    """Flags and conditions: add either, and set what each flag needs for each condition."""
    flag_form = FlagForm(prefix="flag")
    condition_form = ConditionForm(prefix="condition")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "flag":
                flag_form = FlagForm(request.POST, prefix="flag")
                if flag_form.is_valid():
                    flag = flag_create(**flag_form.cleaned_data)
                    messages.success(request, f"Added the flag {flag.name}.")
                    return redirect("exercises:precautions")
            elif action == "condition":
                condition_form = ConditionForm(request.POST, prefix="condition")
                if condition_form.is_valid():
                    condition = condition_create(**condition_form.cleaned_data)
                    messages.success(request, f"Added the condition {condition.name}.")
                    return redirect("exercises:precautions")
            elif action == "mapping":
                flag_ids = [f.pk for f in flag_list()]
                for each in condition_list():
                    actions = {}
                    for flag_id in flag_ids:
                        value = request.POST.get(f"map-{each.pk}-{flag_id}")
                        if value is not None:
                            actions[flag_id] = value
                    condition_precautions_set(condition=each, actions=actions)
                messages.success(request, "Saved what each condition needs.")
                return redirect("exercises:precautions")
            else:
                messages.error(request, "Choose what to save: a flag, a condition or the table.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    conditions = list(condition_list())
    flags = list(flag_list())
    rows = []
    for condition in conditions:
        chosen = {p.flag_id: p.action for p in condition.precaution_list}  # type: ignore[attr-defined]
        rows.append((condition, [(flag, chosen.get(flag.pk, "")) for flag in flags]))
    return render(
        request,
        "exercises/manage/precautions.html",
        {
            "flags": flags,
            "rows": rows,
            "actions": [("", "None"), *ConditionPrecaution.Action.choices],
            "flag_form": flag_form,
            "condition_form": condition_form,
        },
    )
