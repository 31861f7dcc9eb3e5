from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.frontdoor import views

app_name = "frontdoor"

urlpatterns: list[URLPattern] = [
    path("", views.ContactListView.as_view(), name="contacts"),
    path("contacts/new/", views.ContactCreateView.as_view(), name="contact-new"),
    path("contacts/<int:pk>/", views.ContactDetailView.as_view(), name="contact-detail"),
    path("contacts/<int:pk>/decide/", views.ContactDecideView.as_view(), name="contact-decide"),
    path("contacts/<int:pk>/correct/", views.ContactCorrectView.as_view(), name="contact-correct"),
    path("record/<int:person_id>/", views.RecordEpisodesView.as_view(), name="record-episodes"),
    path(
        "record/<int:person_id>/referrals/new/",
        views.ReferralCreateView.as_view(),
        name="referral-new",
    ),
    path("record/<int:person_id>/allocate/", views.AllocateView.as_view(), name="allocate"),
    path("record/<int:person_id>/step-down/", views.StepDownView.as_view(), name="step-down"),
    path("record/<int:person_id>/step-up/", views.StepUpView.as_view(), name="step-up"),
    path(
        "record/<int:person_id>/early-help/new/",
        views.EarlyHelpCreateView.as_view(),
        name="early-help-new",
    ),
    path("referrals/<int:pk>/close/", views.ReferralCloseView.as_view(), name="referral-close"),
    path("early-help/<int:pk>/end/", views.EarlyHelpEndView.as_view(), name="early-help-end"),
]
