from __future__ import annotations

from django.urls import path

from caseline.apps.indicators import dashboard_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.IndicatorsHomeView.as_view(), name="home"),
    path("download.<str:fmt>", views.download_summary, name="download"),
    path("director/", dashboard_views.DirectorView.as_view(), name="director"),
    path("team-week/", dashboard_views.TeamWeekView.as_view(), name="team-week"),
    path("journey/", dashboard_views.JourneyView.as_view(), name="journey"),
    path("journey/<slug:band>/", dashboard_views.JourneyBandView.as_view(), name="journey-band"),
    path("<str:code>/", views.IndicatorDetailView.as_view(), name="detail"),
    path("<str:code>/download.<str:fmt>", views.download_indicator, name="download-detail"),
]
