from __future__ import annotations

from django.urls import path

from caseline.apps.timescales import views

app_name = "timescales"

urlpatterns = [
    path("standards/", views.StandardsListView.as_view(), name="standards"),
    path("standards/<slug:code>/", views.StandardChangeView.as_view(), name="standard-change"),
]
