from __future__ import annotations

from django.urls import path

from caseline.apps.subjectaccess import views

app_name = "subjectaccess"

urlpatterns = [
    path("people/<int:person_id>/new/", views.RecordRequestView.as_view(), name="new"),
    path("<int:request_id>/extend/", views.ExtendRequestView.as_view(), name="extend"),
    path("<int:request_id>/answered/", views.CompleteRequestView.as_view(), name="complete"),
    path("<int:request_id>/pack/", views.PackView.as_view(), name="pack"),
    path("<int:request_id>/pack/assemble/", views.AssemblePackView.as_view(), name="assemble"),
    path(
        "<int:request_id>/pack/redactions/new/",
        views.AddRedactionView.as_view(),
        name="add-redaction",
    ),
    path(
        "redactions/<int:redaction_id>/remove/",
        views.RemoveRedactionView.as_view(),
        name="remove-redaction",
    ),
    path("<int:request_id>/pack/approve/", views.ApprovePackView.as_view(), name="approve"),
    path("<int:request_id>/pack.pdf", views.pack_pdf_view, name="pdf"),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
]
