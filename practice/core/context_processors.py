from django.http import HttpRequest

from practice.core.models import PracticeProfile
from practice.core.selectors import practice_profile


def practice(request: HttpRequest) -> dict[str, PracticeProfile]:
    return {"practice": practice_profile()}
