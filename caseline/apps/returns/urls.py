from __future__ import annotations

from django.urls import path

from caseline.apps.returns import views

app_name = "returns"

urlpatterns = [
    path("", views.ReturnsHomeView.as_view(), name="home"),
    path("<int:run_id>/", views.ReturnRunView.as_view(), name="run"),
    path("<int:run_id>/download/", views.download_run, name="download"),
]
