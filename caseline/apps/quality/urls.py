from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.quality import views

app_name = "quality"

urlpatterns: list[URLPattern] = [
    path("", views.HomeView.as_view(), name="audits"),
    path("tools/", views.ToolListView.as_view(), name="tools"),
    path("tools/<int:tool_id>/", views.ToolView.as_view(), name="tool"),
    path("tools/<int:tool_id>/edit/", views.ToolEditView.as_view(), name="tool-edit"),
    path("rounds/new/", views.RoundNewView.as_view(), name="round-new"),
    path("rounds/<int:round_id>/", views.RoundView.as_view(), name="round"),
    path("audits/<int:audit_id>/", views.AuditView.as_view(), name="audit"),
    path("audits/<int:audit_id>/answers/", views.AnswersView.as_view(), name="audit-answers"),
    path("audits/<int:audit_id>/submit/", views.SubmitView.as_view(), name="audit-submit"),
    path("audits/<int:audit_id>/reflect/", views.ReflectView.as_view(), name="audit-reflect"),
    path("audits/<int:audit_id>/moderate/", views.ModerateView.as_view(), name="audit-moderate"),
    path(
        "audits/<int:audit_id>/partners/new/",
        views.PartnerAnswerView.as_view(),
        name="audit-partner-new",
    ),
    path(
        "audits/<int:audit_id>/actions/new/",
        views.ActionNewView.as_view(),
        name="audit-action-new",
    ),
    path("actions/<int:action_id>/done/", views.ActionDoneView.as_view(), name="action-done"),
    path("results/", views.ResultsView.as_view(), name="results"),
    path("results/audits/", views.ResultsAuditsView.as_view(), name="results-audits"),
    path("record/<int:person_id>/", views.RecordView.as_view(), name="record"),
    path(
        "record/<int:person_id>/challenges/new/",
        views.ChallengeNewView.as_view(),
        name="challenge-new",
    ),
    path(
        "record/<int:person_id>/challenges/<int:challenge_id>/",
        views.ChallengeView.as_view(),
        name="challenge",
    ),
    path(
        "record/<int:person_id>/challenges/<int:challenge_id>/escalate/",
        views.ChallengeEscalateView.as_view(),
        name="challenge-escalate",
    ),
    path(
        "record/<int:person_id>/challenges/<int:challenge_id>/resolve/",
        views.ChallengeResolveView.as_view(),
        name="challenge-resolve",
    ),
]
