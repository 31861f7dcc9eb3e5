"""Caseline's URLs. Every view is closed by default (``LoginRequiredMiddleware``)."""

from __future__ import annotations

from django.urls import include, path

handler403 = "caseline.apps.people.views.permission_denied"
handler500 = "caseline.apps.core.unavailable.server_error"

urlpatterns = [
    path("", include("caseline.apps.core.urls")),
    path("accounts/", include("caseline.apps.accounts.urls")),
    # Security keys' ceremonies (django-otp-webauthn's views, fitted to Caseline's sign-in).
    path(
        "accounts/webauthn/",
        include(("caseline.apps.accounts.webauthn", "otp_webauthn")),
    ),
    path("audit/", include("caseline.apps.audit.urls")),
    path("people/", include("caseline.apps.people.urls")),
    path("front-door/", include("caseline.apps.frontdoor.urls")),
    path("assessments/", include("caseline.apps.assessments.urls")),
    path("children-in-need/", include("caseline.apps.cin.urls")),
    path("recording/", include("caseline.apps.recording.urls")),
    path("child-protection/", include("caseline.apps.protection.urls")),
    path("looked-after/", include("caseline.apps.lookedafter.urls")),
    path("chronology/", include("caseline.apps.chronology.urls")),
    path("genogram/", include("caseline.apps.genogram.urls")),
    path("timescales/", include("caseline.apps.timescales.urls")),
    path("my-work/", include("caseline.apps.mywork.urls")),
    path("returns/", include("caseline.apps.returns.urls")),
    path("inspection/", include("caseline.apps.inspection.urls")),
    path("quality/", include("caseline.apps.quality.urls")),
    path("indicators/", include("caseline.apps.indicators.urls")),
    path("retention/", include("caseline.apps.retention.urls")),
    path("subject-access/", include("caseline.apps.subjectaccess.urls")),
    path("ssd/", include("caseline.apps.ssd.urls")),
    path("private-fostering/", include("caseline.apps.privatefostering.urls")),
    path("allegations/", include("caseline.apps.lado.urls")),
    path("complaints/", include("caseline.apps.complaints.urls")),
]
