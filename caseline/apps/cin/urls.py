from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.cin import views

app_name = "cin"

_R = "record/<int:person_id>/"

urlpatterns: list[URLPattern] = [
    path(_R, views.PlansView.as_view(), name="record-plans"),
    path(f"{_R}plans/new/", views.PlanCreateView.as_view(), name="plan-new"),
    path(f"{_R}plans/<int:plan_id>/edit/", views.PlanEditView.as_view(), name="plan-edit"),
    path(
        f"{_R}plans/<int:plan_id>/outcomes/new/",
        views.OutcomeCreateView.as_view(),
        name="outcome-new",
    ),
    path(
        f"{_R}outcomes/<int:outcome_id>/actions/new/",
        views.ActionCreateView.as_view(),
        name="action-new",
    ),
    path(
        f"{_R}actions/<int:action_id>/progress/",
        views.ActionStatusView.as_view(),
        name="action-status",
    ),
    path(
        f"{_R}plans/<int:plan_id>/reviews/new/", views.ReviewCreateView.as_view(), name="review-new"
    ),
    path(f"{_R}plans/<int:plan_id>/end/", views.PlanEndView.as_view(), name="plan-end"),
    path(f"{_R}visits/new/", views.VisitCreateView.as_view(), name="visit-new"),
    path(f"{_R}visits/", views.VisitListView.as_view(), name="visit-list"),
]
