from __future__ import annotations

from django.urls import path

from caseline.apps.ssd import views

app_name = "ssd"

urlpatterns = [
    path("", views.ExportHomeView.as_view(), name="home"),
    path("<int:run_id>/", views.ExportRunView.as_view(), name="run"),
    path("<int:run_id>/download/", views.download_run, name="download"),
]
