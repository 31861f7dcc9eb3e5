"""Sign in, sign out and keep a session alive; the administrator's list of users and their
Social Work England registration numbers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView

from caseline.apps.accounts.actions import (
    SignInOutcome,
    set_swe_registration_number,
    sign_in,
    sign_out,
)
from caseline.apps.accounts.forms import SignInForm, SweRegistrationForm
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import (
    AuthenticatedRequest,
    PermissionRequiredMixin,
    requires,
    user_can,
)
from caseline.apps.core.formviews import ActionFormView

WRONG_DETAILS = "Enter a correct username and password"
# The same words whether the username exists or not (django-axes throttles both alike).
TOO_MANY_ATTEMPTS = (
    "There have been too many attempts to sign in with this username from here. "
    f"Try again in {settings.CASELINE_LOCKOUT_MINUTES} minutes, "
    "or ask your administrator to unlock it."
)


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): the sign-in page the view
    drew, saying the attempts are throttled, rather than axes' own page."""
    if original_response is not None:
        return original_response
    form = SignInForm()
    form.add_error(None, TOO_MANY_ATTEMPTS)
    return render(request, "accounts/sign_in.html", {"form": form, "next": ""}, status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    """The GOV.UK-style sign-in page."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = sign_in(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if result.outcome is SignInOutcome.SIGNED_IN:
            return redirect(_safe_next(request))
        if result.outcome is SignInOutcome.LOCKED:
            form.add_error(None, TOO_MANY_ATTEMPTS)
        else:
            form.add_error("password", WRONG_DETAILS)
    status = 200 if not form.errors else 400
    if getattr(request, "axes_locked_out", False):
        status = 429
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": _safe_next(request)},
        status=status,
    )


@login_not_required
@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link cannot sign anyone out)."""
    sign_out(request)
    return redirect("accounts:signed-out")


@login_not_required
def signed_out_view(request: HttpRequest) -> HttpResponse:
    """Confirms that the user has signed out."""
    return render(request, "accounts/signed_out.html")


@login_not_required
@require_http_methods(["GET", "POST"])
def timed_out_view(request: HttpRequest) -> HttpResponse:
    """Explains that the session ended because it was idle. Only a POST (the idle warning's,
    when time runs out) signs out; a GET, which any link or image could make, never does."""
    if request.method == "POST":
        if request.user.is_authenticated:
            sign_out(request, reason="inactive")
        target = urlencode({"next": _safe_next(request)})
        return redirect(f"{reverse('accounts:timed-out')}?{target}")
    return render(request, "accounts/timed_out.html", {"next": _safe_next(request)})


@requires(Permission.HOME_VIEW)
@require_POST
def keep_alive_view(request: AuthenticatedRequest) -> HttpResponseBase:
    """Called by the idle warning's 'Stay signed in' button; the middleware records activity."""
    return JsonResponse({"idle_minutes": settings.CASELINE_SESSION_IDLE_MINUTES})


class UsersView(PermissionRequiredMixin, TemplateView):
    """Everyone who can sign in, with their team and Social Work England registration."""

    permission = Permission.USERS_MANAGE
    template_name = "accounts/users.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["users"] = list(User.objects.select_related("team"))
        return context


class SweRegistrationView(PermissionRequiredMixin, ActionFormView[SweRegistrationForm]):
    """Record or change a user's Social Work England registration number."""

    permission = Permission.USERS_MANAGE
    template_name = "accounts/user_form.html"
    form_class = SweRegistrationForm
    title = "Social Work England registration number"
    success_message = "Registration number saved"
    account: User

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The permission is checked first (PermissionRequiredMixin), then the user looked up.
        if user_can(request.user, self.permission):
            self.account = get_object_or_404(User, pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"swe_registration_number": self.account.swe_registration_number}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["account"] = self.account
        return context

    def get_success_url(self) -> str:
        return reverse("accounts:users")

    def perform(self, form: SweRegistrationForm) -> User:
        return set_swe_registration_number(
            acting_user=self.request.user,
            user=self.account,
            number=form.cleaned_data["swe_registration_number"],
        )
