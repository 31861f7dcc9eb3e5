from __future__ import annotations

from django.urls import path

from caseline.apps.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.DueView.as_view(), name="due"),
    path("reviews/<int:review_id>/approve/", views.ApproveView.as_view(), name="approve"),
    path("people/<int:person_id>/hold/", views.PlaceHoldView.as_view(), name="hold"),
    path("holds/<int:hold_id>/lift/", views.LiftHoldView.as_view(), name="lift"),
]
