"""Pages of the exercise library: the public index and exercise pages, and the therapist's
pages to write and duplicate exercises."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from exercises.dosage import Dose, dose_text
from exercises.selectors import exercise_public_get


def exercise_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A public exercise with its steps, pictures and a "try it" timer for its default dose;
    unknown or private: the site's 404."""
    exercise = exercise_public_get(slug=slug)
    return render(
        request,
        "exercises/exercise_detail.html",
        {"exercise": exercise, "dose_text": dose_text(Dose.of(exercise))},
    )
