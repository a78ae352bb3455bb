"""The newsletter API, included under /api/v1/ by practice/api/urls.py (docs/architecture.md).

Each endpoint is a thin DRF view with input and output serializers over this app's
selectors and services.
"""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
