from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.cin import views

app_name = "cin"

_R = "record/<int:person_id>/"
_PP = f"{_R}pre-proceedings/<int:proceedings_id>/"

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
    path(
        f"{_R}pre-proceedings/new/",
        views.PreProceedingsStartView.as_view(),
        name="pre-proceedings-new",
    ),
    path(f"{_PP}", views.PreProceedingsView.as_view(), name="pre-proceedings"),
    path(f"{_PP}letter/", views.LetterBeforeProceedingsView.as_view(), name="pp-letter"),
    path(f"{_PP}fgdm/", views.FamilyGroupDecisionMakingView.as_view(), name="pp-fgdm"),
    path(f"{_PP}meeting/new/", views.PreProceedingsMeetingView.as_view(), name="pp-meeting-new"),
    path(f"{_PP}decision/", views.EndPreProceedingsView.as_view(), name="pp-decision"),
    path(f"{_PP}court/", views.CourtApplicationView.as_view(), name="pp-court"),
]
