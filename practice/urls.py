from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from practice.core.media import serve_media

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
handler400 = "practice.site.views.bad_request"
handler500 = "practice.site.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("practice.site.urls")),
    path("", include("practice.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("practice.api.urls")),
    path("articles/", include("education.urls")),
    path("exercises/", include("exercises.urls")),
    path("programs/", include("exercises.program_urls")),
    path("consults/", include("consults.urls")),
    path("", include("newsletter.urls")),
    path("", include("education.discovery_urls")),
]
if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media, name="media"),
    ]
