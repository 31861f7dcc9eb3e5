from __future__ import annotations

from django.urls import path

from caseline.apps.accounts import sso, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in_view, name="sign-in"),
    path("sign-in/code/", views.second_factor_view, name="second-factor"),
    path("sign-out/", views.sign_out_view, name="sign-out"),
    path("signed-out/", views.signed_out_view, name="signed-out"),
    path("timed-out/", views.timed_out_view, name="timed-out"),
    path("keep-alive/", views.keep_alive_view, name="keep-alive"),
    # Single sign-on by OpenID Connect (404 unless configured).
    path("sso/start/", sso.sso_start_view, name="sso-start"),
    path("sso/callback/", sso.sso_callback_view, name="sso-callback"),
    path("sso/refused/", sso.sso_refused_view, name="sso-refused"),
    # A user's own password and two factors.
    path("security/", views.SecurityView.as_view(), name="security"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "security/authenticator/",
        views.TwoFactorSetupView.as_view(),
        name="two-factor-setup",
    ),
    path(
        "security/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="recovery-codes",
    ),
    path(
        "security/keys/<int:key_id>/name/",
        views.SecurityKeyNameView.as_view(),
        name="security-key-name",
    ),
    path(
        "security/keys/<int:key_id>/remove/",
        views.SecurityKeyRemoveView.as_view(),
        name="security-key-remove",
    ),
    # The administrator's.
    path("users/", views.UsersView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/two-factor-roles/", views.TwoFactorRolesView.as_view(), name="two-factor-roles"),
    path("users/<int:user_id>/", views.UserDetailView.as_view(), name="user"),
    path("users/<int:user_id>/change/", views.UserChangeView.as_view(), name="user-change"),
    path("users/<int:user_id>/roles/new/", views.RoleGiveView.as_view(), name="role-give"),
    path(
        "users/<int:user_id>/roles/<int:assignment_id>/end/",
        views.RoleEndView.as_view(),
        name="role-end",
    ),
    path("users/<int:user_id>/teams/new/", views.TeamJoinView.as_view(), name="team-join"),
    path(
        "users/<int:user_id>/teams/<int:membership_id>/end/",
        views.TeamLeaveView.as_view(),
        name="team-leave",
    ),
    path(
        "users/<int:user_id>/registration/",
        views.SweRegistrationView.as_view(),
        name="user-registration",
    ),
    # Deactivate, reactivate, unlock, reset-two-factor (POST).
    path(
        "users/<int:user_id>/<slug:what>/",
        views.user_account_action_view,
        name="user-action",
    ),
]
