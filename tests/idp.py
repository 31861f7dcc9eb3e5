"""A real OpenID provider for the single sign-on tests: django-oauth-toolkit (a development
requirement) served under /test-idp/ by a test-only URLconf, beside Caseline's own URLs.

It stands for a council's Microsoft Entra ID: its people sign in on its own page, and it
answers Caseline with an ID token signed by its key and the person's email address, taken from
``DIRECTORY`` (its own record of them, as the council's directory would be).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as oauth_views
from oauth2_provider.oauth2_validators import OAuth2Validator

from caseline.apps.accounts.models import User

# The provider's directory: its username -> the email address it vouches for.
DIRECTORY: dict[str, str] = {}
PASSWORD_BACKEND = "caseline.apps.accounts.backends.RoleBackend"


class DirectoryValidator(OAuth2Validator):  # type: ignore[misc]
    """Adds the directory's email address to the ID token and user info."""

    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return {"email": DIRECTORY.get(request.user.username, "")}


@login_not_required
@csrf_exempt
def provider_sign_in(request: HttpRequest) -> HttpResponse:
    """The provider's own sign-in page (its session is on another host name than Caseline's)."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if request.method == "POST":
        user = User.objects.filter(username=request.POST.get("username", "")).first()
        if user is not None and user.check_password(request.POST.get("password", "")):
            login(request, user, backend=PASSWORD_BACKEND)
            return HttpResponseRedirect(next_url)
    return HttpResponse(
        "<!DOCTYPE html><html lang='en'><head><title>Council sign-in</title></head><body>"
        "<main><h1>Council account</h1><form method='post'>"
        f"<input type='hidden' name='next' value='{escape(next_url)}'>"
        "<label for='u'>Council username</label><input id='u' name='username'>"
        "<label for='p'>Council password</label><input id='p' name='password' type='password'>"
        "<button type='submit'>Sign in to the council</button></form></main></body></html>"
    )


_open = login_not_required
provider_urls = [
    path("login/", provider_sign_in, name="login"),
    path(
        "authorize/",
        _open(oauth_views.AuthorizationView.as_view(login_url="/test-idp/login/")),
        name="authorize",
    ),
    path("token/", _open(oauth_views.TokenView.as_view()), name="token"),
    path("userinfo/", _open(oauth_views.UserInfoView.as_view()), name="user-info"),
    path("jwks/", _open(oauth_views.JwksInfoView.as_view()), name="jwks-info"),
    path(
        ".well-known/openid-configuration",
        _open(oauth_views.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
]

urlpatterns = [
    # django-oauth-toolkit names its own URLs in the "oauth2_provider" namespace.
    path("test-idp/", include((provider_urls, "oauth2_provider"))),
    path("", include("caseline.urls")),
]
