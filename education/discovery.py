"""/sitemap.xml and /robots.txt for the whole site (URLs in education/discovery_urls.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

#: Paths no search engine should crawl: private pages, the API, the writing pages.
DISALLOWED = ("/admin/", "/api/", "/accounts/", "/articles/write/", "/articles/preview/")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
