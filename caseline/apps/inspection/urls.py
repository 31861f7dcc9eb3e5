from __future__ import annotations

from django.urls import path

from caseline.apps.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<int:import_id>/", views.ReviewView.as_view(), name="review"),
    path("<int:inspection_id>/", views.InspectionView.as_view(), name="inspection"),
    path("<int:inspection_id>/areas/add/", views.AreaCreateView.as_view(), name="area-add"),
    path("<int:inspection_id>/actions/add/", views.ActionCreateView.as_view(), name="action-add"),
    path(
        "<int:inspection_id>/progress-report/",
        views.CommitteeReportView.as_view(),
        name="committee-report",
    ),
    path(
        "<int:inspection_id>/progress-report.pdf",
        views.committee_report_pdf,
        name="committee-report-pdf",
    ),
    path("<int:inspection_id>/visits/add/", views.VisitCreateView.as_view(), name="visit-add"),
    path("actions/<int:action_id>/", views.ActionView.as_view(), name="action"),
    path(
        "actions/<int:action_id>/progress/", views.ProgressCreateView.as_view(), name="progress-add"
    ),
    path(
        "actions/<int:action_id>/evidence/",
        views.ActionEvidenceView.as_view(),
        name="action-evidence-add",
    ),
    path("visits/<int:visit_id>/", views.VisitView.as_view(), name="visit"),
    path(
        "visits/<int:visit_id>/findings/add/", views.FindingCreateView.as_view(), name="finding-add"
    ),
    path(
        "self-evaluations/add/",
        views.SelfEvaluationCreateView.as_view(),
        name="self-evaluation-add",
    ),
    path(
        "self-evaluations/<int:evaluation_id>/",
        views.SelfEvaluationView.as_view(),
        name="self-evaluation",
    ),
    path(
        "self-evaluations/<int:evaluation_id>/sections/",
        views.EntryRecordView.as_view(),
        name="entry-record",
    ),
    path(
        "self-evaluations/sections/<int:entry_id>/evidence/",
        views.EntryEvidenceView.as_view(),
        name="entry-evidence-add",
    ),
]
