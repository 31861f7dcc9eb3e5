from __future__ import annotations

from django.urls import path

from caseline.apps.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.IndicatorsHomeView.as_view(), name="home"),
    path("download.<str:fmt>", views.download_summary, name="download"),
    path("<str:code>/", views.IndicatorDetailView.as_view(), name="detail"),
    path("<str:code>/download.<str:fmt>", views.download_indicator, name="download-detail"),
]
