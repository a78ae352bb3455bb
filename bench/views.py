from django.http import HttpRequest, HttpResponse


def trivial(request: HttpRequest) -> HttpResponse:
    """The smallest Django view, served bare (bench/bare_urls.py) and through the site's stack."""
    return HttpResponse("ok", content_type="text/plain")
