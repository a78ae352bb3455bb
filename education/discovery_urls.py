"""Site-wide discovery files, included at the root by practice/urls.py (by dotted path)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from education.discovery import robots_txt
from education.sitemaps import SITEMAPS
from practice.core.page_cache import public_page

urlpatterns = [
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public_page(robots_txt), name="robots_txt"),
]
