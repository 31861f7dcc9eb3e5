from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.lado import views

app_name = "lado"

urlpatterns: list[URLPattern] = [
    path("", views.WorkListView.as_view(), name="allegations"),
    path("new/", views.AllegationNewView.as_view(), name="allegation-new"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report.csv", views.report_csv, name="report-csv"),
    path("children/<int:person_id>/", views.ChildAllegationsView.as_view(), name="child"),
    path("<int:allegation_id>/", views.AllegationView.as_view(), name="allegation"),
    path(
        "<int:allegation_id>/initial-consideration/",
        views.InitialConsiderationView.as_view(),
        name="initial-consideration",
    ),
    path(
        "<int:allegation_id>/meetings/new/",
        views.StrategyMeetingNewView.as_view(),
        name="meeting-new",
    ),
    path("<int:allegation_id>/outcome/", views.OutcomeView.as_view(), name="outcome"),
]
