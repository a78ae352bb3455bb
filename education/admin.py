"""Staff CRUD for topics and series; articles are written on the writing pages (their saves
keep versions and schedule publishing), so here they are read-only with a link there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from education.models import Article, ArticleSlug, ArticleVersion, Series, Topic
from education.wxr_admin import wxr_import_view
from practice.core.admin_mixins import ReadOnlyAdminMixin
from practice.core.page_cache import public_pages_changed


class _PublicContentAdmin(admin.ModelAdmin):
    """Topic and series names show on public pages: refresh them after a change."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        public_pages_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        public_pages_changed()


@admin.register(Topic)
class TopicAdmin(_PublicContentAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Series)
class SeriesAdmin(_PublicContentAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class VersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ArticleVersion
    fields = ("number", "title", "status", "saved_at", "saved_by", "note")
    readonly_fields = fields
    extra = 0


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "status", "author", "published_at", "publish_at", "edit_link"]
    list_filter = ["status", "topics", "series"]
    search_fields = ["title", "slug"]
    list_select_related = ["author"]
    inlines = [VersionInline]

    def get_urls(self) -> list[URLPattern]:
        importer = path(
            "import-wordpress/",
            self.admin_site.admin_view(wxr_import_view),
            name="education_article_import",
        )
        return [importer, *super().get_urls()]

    @admin.display(description="Writing page")
    def edit_link(self, article: Article) -> SafeString:
        url = reverse("education:write_edit", kwargs={"article_id": article.pk})
        return format_html('<a href="{}">Edit “{}”</a>', url, article.title)


@admin.register(ArticleSlug)
class ArticleSlugAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Old addresses that redirect (301) to an article's current one."""

    list_display = ["slug", "article", "created_at"]
    search_fields = ["slug", "article__title"]
