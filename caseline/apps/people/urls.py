from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.people import views

app_name = "people"

urlpatterns: list[URLPattern] = [
    path("", views.PersonSearchView.as_view(), name="search"),
    path("new/", views.PersonCreateView.as_view(), name="new"),
    path("merge/", views.MergeView.as_view(), name="merge"),
    path("<int:person_id>/", views.RecordSummaryView.as_view(), name="record"),
    path("<int:person_id>/edit/", views.PersonEditView.as_view(), name="edit"),
    path("<int:person_id>/people/", views.RelationshipsView.as_view(), name="relationships"),
    path(
        "<int:person_id>/people/add/",
        views.RelationshipAddView.as_view(),
        name="relationship-add",
    ),
    path(
        "<int:person_id>/people/<int:relationship_id>/end/",
        views.RelationshipEndView.as_view(),
        name="relationship-end",
    ),
    path(
        "<int:person_id>/professionals/add/",
        views.ProfessionalAddView.as_view(),
        name="professional-add",
    ),
    path("<int:person_id>/households/add/", views.HouseholdAddView.as_view(), name="household-add"),
    path(
        "<int:person_id>/households/join/",
        views.HouseholdJoinView.as_view(),
        name="household-join",
    ),
    path("<int:person_id>/addresses/add/", views.AddressAddView.as_view(), name="address-add"),
    path(
        "<int:person_id>/addresses/<int:address_id>/end/",
        views.AddressEndView.as_view(),
        name="address-end",
    ),
    path("<int:person_id>/alerts/add/", views.AlertAddView.as_view(), name="alert-add"),
    path(
        "<int:person_id>/alerts/<int:alert_id>/end/",
        views.AlertEndView.as_view(),
        name="alert-end",
    ),
    path("<int:person_id>/duplicates/", views.DuplicatesView.as_view(), name="duplicates"),
    path("<int:person_id>/names/add/", views.OtherNameAddView.as_view(), name="other-name-add"),
    path(
        "<int:person_id>/contact-details/add/",
        views.ContactDetailAddView.as_view(),
        name="contact-detail-add",
    ),
    path("<int:person_id>/documents/", views.DocumentsView.as_view(), name="documents"),
    path("<int:person_id>/viewers/", views.ViewersView.as_view(), name="viewers"),
    path("<int:person_id>/restriction/", views.RestrictionView.as_view(), name="restriction"),
    path(
        "<int:person_id>/restriction/lift/",
        views.RestrictionLiftView.as_view(),
        name="restriction-lift",
    ),
    path(
        "<int:person_id>/break-the-glass/",
        views.BreakTheGlassView.as_view(),
        name="break-the-glass",
    ),
]
