from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.privatefostering import views

app_name = "privatefostering"

_R = "record/<int:person_id>/"
_A = f"{_R}arrangements/<int:arrangement_id>/"
_Y = f"{_R}young-carer/<int:assessment_id>/"

urlpatterns: list[URLPattern] = [
    path(_R, views.RecordView.as_view(), name="record"),
    path(f"{_R}notifications/new/", views.NotificationView.as_view(), name="notification-new"),
    path(f"{_A}visits/new/", views.VisitView.as_view(), name="visit-new"),
    path(f"{_A}decision/", views.DecisionView.as_view(), name="decision"),
    path(f"{_A}end/", views.EndView.as_view(), name="end"),
    path(f"{_R}young-carer/new/", views.YoungCarerView.as_view(), name="young-carer-new"),
    path(f"{_Y}assessed/", views.YoungCarerAssessedView.as_view(), name="young-carer-assessed"),
    path(f"{_Y}support/new/", views.YoungCarerSupportView.as_view(), name="young-carer-support"),
    path(f"{_R}participation/told/", views.ToldView.as_view(), name="told-new"),
    path(f"{_R}participation/referral/", views.ReferralView.as_view(), name="referral-new"),
    path("participation/surveys/", views.SurveysView.as_view(), name="surveys"),
    path("participation/surveys/new/", views.SurveyNewView.as_view(), name="survey-new"),
    path("participation/surveys/<int:survey_id>/", views.SurveyView.as_view(), name="survey"),
    path(
        "participation/surveys/<int:survey_id>/responses/new/",
        views.SurveyResponseView.as_view(),
        name="survey-response",
    ),
    path(
        "participation/surveys/<int:survey_id>/what-changed/",
        views.WhatChangedView.as_view(),
        name="survey-changed",
    ),
    path("participation/council/", views.CouncilView.as_view(), name="council"),
    path(
        "participation/council/members/new/",
        views.CouncilMemberView.as_view(),
        name="council-member",
    ),
    path(
        "participation/council/meetings/new/",
        views.CouncilMeetingView.as_view(),
        name="council-meeting",
    ),
]
