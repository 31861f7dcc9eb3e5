from __future__ import annotations

from django.urls import path

from caseline.apps.subjectaccess import views

app_name = "subjectaccess"

urlpatterns = [
    path("people/<int:person_id>/new/", views.RecordRequestView.as_view(), name="new"),
    path("<int:request_id>/extend/", views.ExtendRequestView.as_view(), name="extend"),
    path("<int:request_id>/answered/", views.CompleteRequestView.as_view(), name="complete"),
]
