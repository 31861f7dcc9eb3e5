from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.lookedafter import (
    permanence_views,
    placement_views,
    provider_views,
    views,
)

app_name = "lookedafter"

P = "<int:person_id>/"
R = P + "reviews/<int:review_id>/"

urlpatterns: list[URLPattern] = [
    path("providers/", provider_views.ProviderListView.as_view(), name="providers"),
    path("providers/new/", provider_views.ProviderAddView.as_view(), name="provider-new"),
    path(
        "providers/<int:provider_id>/",
        provider_views.ProviderChangeView.as_view(),
        name="provider-edit",
    ),
    path(P, views.CareRecordView.as_view(), name="record"),
    path(P + "start/", views.StartCareView.as_view(), name="start"),
    path(P + "legal-status/", views.LegalStatusView.as_view(), name="legal-status"),
    path(P + "placement/", views.PlacementView.as_view(), name="placement"),
    path(P + "end/", views.EndCareView.as_view(), name="end"),
    path(
        P + "episodes/<int:episode_id>/correct/",
        views.EpisodeCorrectView.as_view(),
        name="episode-correct",
    ),
    path(P + "iro/", views.IROView.as_view(), name="iro"),
    path(P + "care-plan/", views.CarePlanView.as_view(), name="care-plan"),
    path(P + "placement-plan/", placement_views.PlacementPlanView.as_view(), name="placement-plan"),
    path(P + "placement-cost/", placement_views.PlacementCostView.as_view(), name="placement-cost"),
    path(
        P + "placement-notice/",
        placement_views.PlacementNoticeView.as_view(),
        name="placement-notice",
    ),
    path(P + "reviews/new/", views.ReviewView.as_view(), name="review-new"),
    path(P + "reviews/earlier/", views.EarlierReviewView.as_view(), name="earlier-review"),
    path(R, views.ReviewDetailView.as_view(), name="review"),
    path(R + "edit/", views.ReviewEditView.as_view(), name="review-edit"),
    path(R + "recommendations/new/", views.RecommendationView.as_view(), name="recommendation-new"),
    path(R + "minutes/", views.MinutesView.as_view(), name="minutes"),
    path(P + "visits/new/", views.VisitView.as_view(), name="visit-new"),
    path(P + "health/new/", views.HealthView.as_view(), name="health-new"),
    path(P + "education/new/", views.PEPView.as_view(), name="pep-new"),
    path(P + "missing/new/", views.MissingView.as_view(), name="missing-new"),
    path(
        P + "missing/<int:missing_id>/return/",
        views.MissingReturnView.as_view(),
        name="missing-return",
    ),
    path(P + "personal-adviser/", views.AdviserView.as_view(), name="adviser"),
    path(P + "pathway-plans/new/", views.PathwayPlanView.as_view(), name="pathway-new"),
    path(P + "keeping-in-touch/new/", views.CareLeaverContactView.as_view(), name="contact-new"),
    path(P + "pen-picture/", views.PenPictureView.as_view(), name="pen-picture"),
    path(P + "uasc/", views.UASCView.as_view(), name="uasc"),
    # Adoption, previous permanence and deprivation of liberty orders (permanence_views).
    path(P + "permanence/", permanence_views.PermanenceView.as_view(), name="permanence"),
    path(
        P + "adoption/new/",
        permanence_views.AdoptionDecisionView.as_view(),
        name="adoption-decision",
    ),
    path(
        P + "adoption/<int:decision_id>/match/",
        permanence_views.AdoptionMatchView.as_view(),
        name="adoption-match",
    ),
    path(
        P + "adoption/<int:decision_id>/ceased/",
        permanence_views.AdoptionCeasedView.as_view(),
        name="adoption-ceased",
    ),
    path(
        P + "previous-permanence/",
        permanence_views.PreviousPermanenceView.as_view(),
        name="previous-permanence",
    ),
    path(
        P + "deprivation-of-liberty/new/",
        permanence_views.DeprivationOfLibertyView.as_view(),
        name="dolo-new",
    ),
    path(
        P + "deprivation-of-liberty/<int:order_id>/end/",
        permanence_views.DeprivationOfLibertyEndView.as_view(),
        name="dolo-end",
    ),
]
