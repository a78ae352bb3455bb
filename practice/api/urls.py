from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from practice.api import views


class Router(DefaultRouter):
    """A DefaultRouter whose public root also links the single-object endpoints below."""

    APIRootView = views.RootView
    single_endpoints = {"me": "me", "practice": "practice"}

    def get_api_root_view(self, api_urls: Any = None) -> Callable[..., Any]:
        list_name = self.routes[0].name
        entries = {
            prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry
        }
        return self.APIRootView.as_view(api_root_dict={**self.single_endpoints, **entries})


router = Router()

#: Each domain app's ``apis.py``, included by dotted path so this package never imports one.
APP_APIS = ["education.apis", "exercises.apis", "newsletter.apis", "consults.apis"]

v1: list[URLPattern | URLResolver] = [
    path("me/", views.MeView.as_view(), name="me"),
    path("practice/", views.PracticeView.as_view(), name="practice"),
    path("", include(router.urls)),
    *(path("", include(module)) for module in APP_APIS),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    re_path(r"^.*/$", views.not_found),
]
