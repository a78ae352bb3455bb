from django.urls import path

from exercises import library_views, views

app_name = "exercises"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", library_views.exercise_detail, name="detail"),
]
