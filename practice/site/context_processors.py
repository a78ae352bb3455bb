from django.http import HttpRequest

from practice.site.models import PracticeProfile
from practice.site.selectors import practice_profile


def practice(request: HttpRequest) -> dict[str, PracticeProfile]:
    return {"practice": practice_profile()}
