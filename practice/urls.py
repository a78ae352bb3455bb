from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from practice.health import healthz

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
handler500 = "practice.site.views.server_error"

urlpatterns = [
    path("", include("practice.site.urls")),
    path("accounts/", include("practice.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("practice.api.urls")),
    path("articles/", include("education.urls")),
    path("exercises/", include("exercises.urls")),
    path("consults/", include("consults.urls")),
    path("", include("newsletter.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
