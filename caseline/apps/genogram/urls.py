from __future__ import annotations

from django.urls import path

from caseline.apps.genogram import views

app_name = "genogram"

urlpatterns = [
    path("record/<int:person_id>/", views.GenogramView.as_view(), name="record"),
]
