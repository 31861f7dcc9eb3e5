from __future__ import annotations

from django.urls import URLPattern, path

from caseline.apps.recording import views

app_name = "recording"

urlpatterns: list[URLPattern] = [
    path("record/<int:person_id>/", views.NotesView.as_view(), name="record-notes"),
    path("record/<int:person_id>/notes/new/", views.NoteNewView.as_view(), name="note-new"),
    path(
        "record/<int:person_id>/oversight/new/",
        views.OversightNewView.as_view(),
        name="oversight-new",
    ),
    path(
        "record/<int:person_id>/voice/new/",
        views.ChildVoiceNewView.as_view(),
        name="child-voice-new",
    ),
    path(
        "record/<int:person_id>/supervision/new/",
        views.SupervisionNewView.as_view(),
        name="supervision-new",
    ),
    path(
        "record/<int:person_id>/notes/<int:note_id>/",
        views.NoteDetailView.as_view(),
        name="note-detail",
    ),
    path(
        "record/<int:person_id>/notes/<int:note_id>/amend/",
        views.NoteAmendView.as_view(),
        name="note-amend",
    ),
    path(
        "record/<int:person_id>/actions/<int:action_id>/done/",
        views.ActionDoneView.as_view(),
        name="supervision-action-done",
    ),
]
