"""Uploaded files (therapist photos) served by Django: fine for a one-room practice."""

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    # MEDIA_ROOT is read per request, not frozen when the URLs load.
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
