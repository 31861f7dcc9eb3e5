"""Sign in (with a second factor where needed), sign out and keep a session alive; a user's own
password and authenticator app; the administrator's pages for accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from caseline.apps.accounts import queries, twofactor
from caseline.apps.accounts.actions import (
    USER_DETAIL_FIELDS,
    SignInOutcome,
    change_own_password,
    create_user,
    end_role,
    give_role,
    join_team,
    leave_team,
    pending_second_factor,
    remove_security_key,
    rename_security_key,
    reset_two_factor,
    set_swe_registration_number,
    set_two_factor_roles,
    set_up_authenticator,
    set_user_active,
    sign_in,
    sign_in_with_code,
    sign_out,
    unlock_user,
    update_user,
)
from caseline.apps.accounts.backends import roles_of
from caseline.apps.accounts.forms import (
    AuthenticatorSetupForm,
    EndDateForm,
    PasswordChangeForm,
    RoleForm,
    SecondFactorForm,
    SecurityKeyNameForm,
    SecurityKeyRemoveForm,
    SignInForm,
    SweRegistrationForm,
    TeamMembershipForm,
    TwoFactorRolesForm,
    UserCreateForm,
    UserDetailsForm,
)
from caseline.apps.accounts.models import RoleAssignment, TeamMembership, TwoFactorRole, User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.accounts.sso import SSO_SESSION_KEY, sso_enabled
from caseline.apps.core.access import (
    AuthenticatedRequest,
    PermissionRequiredMixin,
    requires,
    user_can,
)
from caseline.apps.core.formviews import ActionFormView

WRONG_DETAILS = "Enter a correct username and password"
WRONG_CODE = "Enter the code your authenticator app shows now, or an unused recovery code"
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
        if result.outcome is SignInOutcome.SECOND_FACTOR:
            target = urlencode({"next": _safe_next(request)})
            return redirect(f"{reverse('accounts:second-factor')}?{target}")
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
        {"form": form, "next": _safe_next(request), "sso_enabled": sso_enabled()},
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """After a right password: the code from the user's authenticator app (or a recovery code)."""
    user = pending_second_factor(request)
    if user is None:
        return redirect("accounts:sign-in")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if sign_in_with_code(request, user=user, code=form.cleaned_data["code"]):
            return redirect(_safe_next(request))
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "next": _safe_next(request),
            "authenticator": twofactor.authenticator_of(user) is not None,
            "security_key": twofactor.has_security_key(user),
        },
        status=400 if form.errors else 200,
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


# --- A user's own password and authenticator app --------------------------------------------

SETUP_KEY_SESSION = "caseline_authenticator_setup_key"


class PasswordChangeView(PermissionRequiredMixin, ActionFormView[PasswordChangeForm]):
    """Change your own password."""

    permission = Permission.HOME_VIEW
    template_name = "accounts/own_form.html"
    form_class = PasswordChangeForm
    title = "Change your password"
    button = "Change password"
    success_message = "Your password has been changed"

    def get_success_url(self) -> str:
        return reverse("accounts:security")

    def perform(self, form: PasswordChangeForm) -> None:
        change_own_password(
            self.request,
            acting_user=self.request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password"],
        )


class SecurityView(PermissionRequiredMixin, TemplateView):
    """Your password and two factors: what you have set up, and links to change them."""

    permission = Permission.HOME_VIEW
    template_name = "accounts/security.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["authenticator"] = twofactor.authenticator_of(user)
        context["security_keys"] = twofactor.security_keys_of(user)
        context["recovery_codes_left"] = twofactor.recovery_codes_left(user)
        context["required"] = twofactor.requires_two_factor(user)
        context["single_sign_on"] = bool(self.request.session.get(SSO_SESSION_KEY))
        return context


class TwoFactorSetupView(PermissionRequiredMixin, ActionFormView[AuthenticatorSetupForm]):
    """Set up an authenticator app: scan the QR code (or type the key), then give a code."""

    permission = Permission.HOME_VIEW
    template_name = "accounts/two_factor_setup.html"
    form_class = AuthenticatorSetupForm
    title = "Set up your authenticator app"
    button = "Continue"

    def _key(self) -> str:
        key = self.request.session.get(SETUP_KEY_SESSION)
        if not key:
            key = random_hex(20)
            self.request.session[SETUP_KEY_SESSION] = key
        return str(key)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device = TOTPDevice(user=self.request.user, name=twofactor.AUTHENTICATOR_NAME)
        device.key = self._key()
        context["qr_code"] = mark_safe(twofactor.qr_code_svg(device))  # noqa: S308 (segno's SVG)
        context["secret"] = twofactor.secret_for_typing(device)
        context["required"] = bool(self.request.session.get(twofactor.REQUIRED_KEY))
        return context

    def get_back_url(self) -> str:
        return reverse("accounts:security")

    def get_success_url(self) -> str:
        return reverse("accounts:recovery-codes")

    def perform(self, form: AuthenticatorSetupForm) -> object:
        codes = set_up_authenticator(
            acting_user=self.request.user, key=self._key(), code=form.cleaned_data["code"]
        )
        if codes is None:
            raise ValidationError({"code": "The code is not right: enter the code shown now"})
        session = self.request.session
        session.pop(SETUP_KEY_SESSION, None)
        session[twofactor.VERIFIED_KEY] = True
        session[twofactor.NEW_RECOVERY_CODES_KEY] = codes
        return codes


class RecoveryCodesView(PermissionRequiredMixin, TemplateView):
    """The new recovery codes, shown once, straight after setting up."""

    permission = Permission.HOME_VIEW
    template_name = "accounts/recovery_codes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["codes"] = self.request.session.pop(twofactor.NEW_RECOVERY_CODES_KEY, None)
        context["left"] = twofactor.recovery_codes_left(self.request.user)
        return context


class _OwnSecurityKeyMixin(PermissionRequiredMixin):
    """A page about one of the signed-in user's own security keys (404 for anyone else's)."""

    permission = Permission.HOME_VIEW
    credential: WebAuthnCredential

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_can(request.user, self.permission):
            self.credential = get_object_or_404(
                WebAuthnCredential, pk=kwargs["key_id"], user=request.user
            )
        return super().dispatch(request, *args, **kwargs)

    def get_back_url(self) -> str:
        return reverse("accounts:security")

    def get_success_url(self) -> str:
        return reverse("accounts:security")


class SecurityKeyNameView(_OwnSecurityKeyMixin, ActionFormView[SecurityKeyNameForm]):
    """Name one of your security keys."""

    template_name = "accounts/own_form.html"
    form_class = SecurityKeyNameForm
    title = "Name your security key"
    success_message = "Security key renamed"

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.credential.name}

    def perform(self, form: SecurityKeyNameForm) -> object:
        return rename_security_key(
            acting_user=self.request.user,
            credential=self.credential,
            name=form.cleaned_data["name"],
        )


class SecurityKeyRemoveView(_OwnSecurityKeyMixin, ActionFormView[SecurityKeyRemoveForm]):
    """Remove one of your security keys (a form with only the button)."""

    template_name = "accounts/own_form.html"
    form_class = SecurityKeyRemoveForm
    button = "Remove"
    success_message = "Security key removed"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"Remove {self.credential.name or 'this security key'}"
        return context

    def perform(self, form: SecurityKeyRemoveForm) -> object:
        remove_security_key(acting_user=self.request.user, credential=self.credential)
        return None


# --- The administrator's accounts pages -----------------------------------------------------


class UsersView(PermissionRequiredMixin, TemplateView):
    """Everyone who can sign in: team, roles, last sign-in, and whether locked or inactive."""

    permission = Permission.USERS_MANAGE
    template_name = "accounts/users.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["users"] = queries.users_for_administration()
        context["locked"] = queries.locked_usernames()
        return context


class _AccountMixin(PermissionRequiredMixin):
    """A page about one user, for the administrator: the permission first, then the lookup."""

    permission = Permission.USERS_MANAGE
    account: User

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_can(request.user, self.permission):
            self.account = get_object_or_404(User, pk=kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["account"] = self.account
        return context

    def get_success_url(self) -> str:
        return reverse("accounts:user", kwargs={"user_id": self.account.pk})


class UserDetailView(_AccountMixin, TemplateView):
    """One user: details, roles and teams with their dates, sign-in and two factors."""

    template_name = "accounts/user.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        account = self.account
        context["today"] = timezone.localdate()
        context["roles"] = roles_of(account)
        context["role_assignments"] = list(account.role_assignments.all())
        context["memberships"] = list(account.team_memberships.select_related("team"))
        context["locked"] = account.username.lower() in queries.locked_usernames()
        context["authenticator"] = twofactor.authenticator_of(account)
        context["security_keys"] = len(twofactor.security_keys_of(account))
        return context


class UserCreateView(PermissionRequiredMixin, ActionFormView[UserCreateForm]):
    """Add a user with their first password and roles."""

    permission = Permission.USERS_MANAGE
    template_name = "accounts/own_form.html"
    form_class = UserCreateForm
    title = "Add a user"
    button = "Add user"
    success_message = "User added"

    def get_back_url(self) -> str:
        return reverse("accounts:users")

    def get_success_url(self) -> str:
        return reverse("accounts:user", kwargs={"user_id": self.result.pk})

    def perform(self, form: UserCreateForm) -> User:
        data = form.cleaned_data
        try:
            validate_password(
                data["password"],
                user=User(
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                ),
            )
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        return create_user(
            acting_user=self.request.user,
            username=data["username"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            job_title=data["job_title"],
            team=data["team"],
            roles=[Role(r) for r in data["roles"]],
        )


class UserChangeView(_AccountMixin, ActionFormView[UserDetailsForm]):
    """Change a user's name and work contact details."""

    template_name = "accounts/user_form.html"
    form_class = UserDetailsForm
    title = "Change details"
    success_message = "Details saved"

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.account, name) for name in USER_DETAIL_FIELDS} | {
            "version": self.account.version
        }

    def perform(self, form: UserDetailsForm) -> User:
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return update_user(
            acting_user=self.request.user, user=self.account, read_version=version, **data
        )


class RoleGiveView(_AccountMixin, ActionFormView[RoleForm]):
    """Give a user a role from a start date, with or without an end."""

    template_name = "accounts/user_form.html"
    form_class = RoleForm
    title = "Give a role"
    success_message = "Role given"

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": timezone.localdate()}

    def perform(self, form: RoleForm) -> object:
        data = form.cleaned_data
        return give_role(
            acting_user=self.request.user,
            user=self.account,
            role=Role(data["role"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )


class TeamJoinView(_AccountMixin, ActionFormView[TeamMembershipForm]):
    """Put a user in a team from a start date, with or without an end."""

    template_name = "accounts/user_form.html"
    form_class = TeamMembershipForm
    title = "Add to a team"
    success_message = "Team membership added"

    def get_initial(self) -> dict[str, Any]:
        return {"starts_on": timezone.localdate()}

    def perform(self, form: TeamMembershipForm) -> object:
        data = form.cleaned_data
        return join_team(
            acting_user=self.request.user,
            user=self.account,
            team=data["team"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )


class RoleEndView(_AccountMixin, ActionFormView[EndDateForm]):
    """Set the last day a user holds a dated role."""

    template_name = "accounts/user_form.html"
    form_class = EndDateForm
    success_message = "End date saved"
    assignment: RoleAssignment

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_can(request.user, self.permission):
            self.assignment = get_object_or_404(
                RoleAssignment, pk=kwargs["assignment_id"], user_id=kwargs["user_id"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"End the role: {self.assignment.role}"
        return context

    def get_initial(self) -> dict[str, Any]:
        return {"ends_on": self.assignment.ends_on or timezone.localdate()}

    def perform(self, form: EndDateForm) -> object:
        return end_role(
            acting_user=self.request.user,
            assignment=self.assignment,
            ends_on=form.cleaned_data["ends_on"],
        )


class TeamLeaveView(_AccountMixin, ActionFormView[EndDateForm]):
    """Set the last day a user is in a team."""

    template_name = "accounts/user_form.html"
    form_class = EndDateForm
    success_message = "End date saved"
    membership: TeamMembership

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_can(request.user, self.permission):
            self.membership = get_object_or_404(
                TeamMembership.objects.select_related("team"),
                pk=kwargs["membership_id"],
                user_id=kwargs["user_id"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = f"Leave the team: {self.membership.team}"
        return context

    def get_initial(self) -> dict[str, Any]:
        return {"ends_on": self.membership.ends_on or timezone.localdate()}

    def perform(self, form: EndDateForm) -> object:
        return leave_team(
            acting_user=self.request.user,
            membership=self.membership,
            ends_on=form.cleaned_data["ends_on"],
        )


@requires(Permission.USERS_MANAGE)
@require_POST
def user_account_action_view(
    request: AuthenticatedRequest, user_id: int, what: str
) -> HttpResponse:
    """The buttons on a user's page: deactivate, reactivate, unlock, reset two factors."""
    account = get_object_or_404(User, pk=user_id)
    try:
        if what == "deactivate":
            set_user_active(acting_user=request.user, user=account, active=False)
            messages.success(request, "User deactivated: they can no longer sign in")
        elif what == "reactivate":
            set_user_active(acting_user=request.user, user=account, active=True)
            messages.success(request, "User reactivated")
        elif what == "unlock":
            unlock_user(acting_user=request.user, user=account)
            messages.success(request, "User unlocked: they can try to sign in again now")
        elif what == "reset-two-factor":
            reset_two_factor(acting_user=request.user, user=account)
            messages.success(request, "Authenticator app and recovery codes removed")
        else:
            raise Http404("No such action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:user", user_id=account.pk)


class TwoFactorRolesView(PermissionRequiredMixin, ActionFormView[TwoFactorRolesForm]):
    """Choose the roles that must sign in with two factors."""

    permission = Permission.USERS_MANAGE
    template_name = "accounts/own_form.html"
    form_class = TwoFactorRolesForm
    title = "Roles that must use two factors"
    success_message = "Roles saved: they apply from each user's next sign-in"

    def get_initial(self) -> dict[str, Any]:
        return {"roles": list(TwoFactorRole.objects.values_list("role", flat=True))}

    def get_success_url(self) -> str:
        return reverse("accounts:users")

    def perform(self, form: TwoFactorRolesForm) -> None:
        set_two_factor_roles(
            acting_user=self.request.user, roles=[Role(r) for r in form.cleaned_data["roles"]]
        )
