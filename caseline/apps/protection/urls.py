from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.protection import views

app_name = "protection"

_CHILD = "record/<int:person_id>/"
_ENQUIRY = _CHILD + "enquiry/<int:enquiry_id>/"
_PLAN = _CHILD + "plan/<int:plan_id>/"

urlpatterns: list[URLPattern] = [
    path(_CHILD, views.RecordView.as_view(), name="record"),
    path(_CHILD + "strategy/new/", views.StrategyCreateView.as_view(), name="strategy-new"),
    path(_ENQUIRY + "outcome/", views.EnquiryOutcomeView.as_view(), name="enquiry-outcome"),
    path(
        _ENQUIRY + "conference-not-required/",
        views.IcpcNotRequiredView.as_view(),
        name="icpc-not-required",
    ),
    path(_ENQUIRY + "police/", views.PoliceDecisionView.as_view(), name="police-decision-new"),
    path(_CHILD + "history/", views.HistoryEditView.as_view(), name="history-edit"),
    path(_ENQUIRY + "conference/", views.InitialConferenceView.as_view(), name="icpc-new"),
    path(_CHILD + "transfer-in/new/", views.TransferInView.as_view(), name="transfer-in-notice"),
    path(
        _CHILD + "transfer-in/<int:transfer_id>/conference/",
        views.TransferInConferenceView.as_view(),
        name="transfer-in-new",
    ),
    path(
        _CHILD + "conference/<int:conference_id>/",
        views.ConferenceView.as_view(),
        name="conference",
    ),
    path(_PLAN, views.PlanView.as_view(), name="plan"),
    path(_PLAN + "edit/", views.PlanEditView.as_view(), name="plan-edit"),
    path(_PLAN + "outcome/new/", views.OutcomeCreateView.as_view(), name="outcome-new"),
    path(
        _PLAN + "outcome/<int:outcome_id>/action/new/",
        views.ActionCreateView.as_view(),
        name="action-new",
    ),
    path(
        _PLAN + "action/<int:action_id>/status/",
        views.ActionStatusView.as_view(),
        name="action-status",
    ),
    path(_PLAN + "core-group/new/", views.CoreGroupCreateView.as_view(), name="core-group-new"),
    path(_PLAN + "review/new/", views.ReviewConferenceView.as_view(), name="review-new"),
    path(_PLAN + "visit/new/", views.VisitCreateView.as_view(), name="visit-new"),
    path(_PLAN + "end/", views.EndPlanView.as_view(), name="plan-end"),
    path(_PLAN + "family/", views.FamilyPlanView.as_view(), name="family-plan"),
    path(_PLAN + "family.pdf", views.family_plan_pdf, name="family-plan-pdf"),
    path(
        "reports/strategy-compliance/",
        views.StrategyComplianceView.as_view(),
        name="strategy-compliance",
    ),
]
