from __future__ import annotations

from django.urls import path

from caseline.apps.core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health_view, name="health"),
    path("favicon.ico", views.favicon_view, name="favicon"),
]
