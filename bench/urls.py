"""The site's URLs plus the trivial view, which answers through the full middleware stack."""

from django.urls import path

from bench.views import trivial
from practice.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
