from __future__ import annotations

from django.urls import path

from caseline.apps.chronology import views

app_name = "chronology"

urlpatterns = [
    path("record/<int:person_id>/", views.ChronologyView.as_view(), name="record"),
    path("record/<int:person_id>/pdf/", views.chronology_pdf_view, name="pdf"),
    path(
        "record/<int:person_id>/other-agency/",
        views.AgencyEventCreateView.as_view(),
        name="agency-event-new",
    ),
]
