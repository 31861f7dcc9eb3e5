from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.complaints import views

app_name = "complaints"

urlpatterns: list[URLPattern] = [
    path("", views.WorkListView.as_view(), name="complaints"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report.csv", views.report_csv, name="report-csv"),
    path("children/<int:person_id>/", views.ChildComplaintsView.as_view(), name="child"),
    path("children/<int:person_id>/new/", views.ComplaintNewView.as_view(), name="new"),
    path("<int:complaint_id>/", views.ComplaintView.as_view(), name="complaint"),
    path("<int:complaint_id>/extend/", views.ExtendView.as_view(), name="extend"),
    path("<int:complaint_id>/respond/", views.CompleteView.as_view(), name="respond"),
    path("<int:complaint_id>/next-stage/", views.EscalateView.as_view(), name="escalate"),
    path("<int:complaint_id>/findings/new/", views.FindingView.as_view(), name="finding-new"),
    path("<int:complaint_id>/lessons/new/", views.LessonView.as_view(), name="lesson-new"),
]
