from django.urls import path

from education import feeds, views, writing_views
from practice.core.page_cache import public_page

app_name = "education"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", public_page(feeds.ArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.ArticlesAtomFeed()), name="feed_atom"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("series/<slug:slug>/", views.series, name="series"),
    path("write/", writing_views.write_list, name="write_list"),
    path("write/new/", writing_views.write_edit, name="write_new"),
    path("write/preview/", writing_views.preview_fragment, name="preview_fragment"),
    path("write/<db_id:article_id>/", writing_views.write_edit, name="write_edit"),
    path("write/<db_id:article_id>/images/", writing_views.image_upload, name="image_upload"),
    path("write/<db_id:article_id>/versions/", writing_views.versions, name="versions"),
    path(
        "write/<db_id:article_id>/versions/<db_id:number>/restore/",
        writing_views.version_restore,
        name="version_restore",
    ),
    path("preview/<db_id:article_id>/", writing_views.preview, name="preview"),
    path("<slug:slug>/", views.detail, name="detail"),
]
