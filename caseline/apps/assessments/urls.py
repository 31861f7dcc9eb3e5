from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.assessments import views

app_name = "assessments"

urlpatterns: list[URLPattern] = [
    path("record/<int:person_id>/", views.RecordListView.as_view(), name="record-list"),
    path("new/<int:person_id>/", views.NewAssessmentView.as_view(), name="new"),
    path(
        "awaiting-authorisation/",
        views.AwaitingAuthorisationView.as_view(),
        name="awaiting-authorisation",
    ),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/authorise/", views.AuthoriseView.as_view(), name="authorise"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
]
