from __future__ import annotations

from django.urls import path

from caseline.apps.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditEventListView.as_view(), name="events"),
]
