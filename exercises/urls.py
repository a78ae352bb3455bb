from django.urls import path

from exercises import library_views
from exercises.portal_urls import portal_patterns

app_name = "exercises"
urlpatterns = [
    path("", library_views.exercise_index, name="index"),
    *portal_patterns,
    path("manage/", library_views.library, name="library"),
    path("manage/new/", library_views.exercise_new, name="exercise_new"),
    path("manage/precautions/", library_views.precautions, name="precautions"),
    path("manage/<db_id:exercise_id>/", library_views.exercise_edit, name="exercise_edit"),
    path(
        "manage/<db_id:exercise_id>/duplicate/",
        library_views.exercise_duplicate_view,
        name="exercise_duplicate",
    ),
    path(
        "manage/<db_id:exercise_id>/pictures/",
        library_views.exercise_image_new,
        name="exercise_image_new",
    ),
    path(
        "manage/<db_id:exercise_id>/pictures/<db_id:image_id>/remove/",
        library_views.exercise_image_remove,
        name="exercise_image_remove",
    ),
    path("<slug:slug>/", library_views.exercise_detail, name="detail"),
]
