from __future__ import annotations

from django.urls import path

from caseline.apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in_view, name="sign-in"),
    path("sign-out/", views.sign_out_view, name="sign-out"),
    path("signed-out/", views.signed_out_view, name="signed-out"),
    path("timed-out/", views.timed_out_view, name="timed-out"),
    path("keep-alive/", views.keep_alive_view, name="keep-alive"),
    path("users/", views.UsersView.as_view(), name="users"),
    path(
        "users/<int:user_id>/registration/",
        views.SweRegistrationView.as_view(),
        name="user-registration",
    ),
]
