from django.http import HttpRequest


def practice(request: HttpRequest) -> dict[str, object]:
    return {}
