from __future__ import annotations

from django.urls import path

from caseline.apps.mywork import views

app_name = "mywork"

urlpatterns = [
    path("", views.MyWorkView.as_view(), name="mine"),
    path("team/", views.TeamWorkView.as_view(), name="team"),
    path("team/<int:user_id>/", views.WorkerWorkView.as_view(), name="worker"),
    path("chair/", views.ChairWorkView.as_view(), name="chair"),
]
