"""Sign-in form, a user's Social Work England registration, and the field for choosing who
holds a child's case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.queries import case_holders, caseload_label, in_team_first
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField

_ROLE_CHOICES = [(r.value, r.value) for r in Role]


class SignInForm(GovukForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorForm(GovukForm):
    """The code asked for after the password at sign-in."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text=(
            "The 6-digit code your authenticator app shows for Caseline, or one of your "
            "recovery codes"
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "text"}
        ),
    )


class AuthenticatorSetupForm(GovukForm):
    """The first code of a newly scanned authenticator app, which confirms it."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordChangeForm(GovukForm):
    """A user's own new password (checked by the action against the password validators)."""

    old_password = forms.CharField(
        label="Current password",
        strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text=(
            "At least 12 characters, not like your name or username, and not a commonly used "
            "password"
        ),
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label="Confirm new password",
        strip=False,
        error_messages={"required": "Enter the new password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The new passwords do not match")
        return data


class UserDetailsForm(GovukForm):
    """A user's name and work contact details (the administrator's), at the version read."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    email = forms.EmailField(
        label="Work email address",
        required=False,
        help_text="Single sign-on matches people by this address",
        error_messages={"invalid": "Enter an email address in the correct format"},
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=100, required=False)
    work_phone = forms.CharField(
        label="Work phone number (optional)", max_length=30, required=False
    )
    version = VersionField()


class UserCreateForm(GovukForm):
    """A new account: who they are, their first password and their roles from today."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter a username"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    first_name = UserDetailsForm.base_fields["first_name"]
    last_name = UserDetailsForm.base_fields["last_name"]
    email = UserDetailsForm.base_fields["email"]
    job_title = UserDetailsForm.base_fields["job_title"]
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="No team",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )
    password = forms.CharField(
        label="First password",
        strip=False,
        help_text="Give it to them in person; they should change it when they first sign in",
        error_messages={"required": "Enter a first password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with this username already exists")
        return username


class RoleForm(GovukForm):
    """A role given from a day, until a day or with no end."""

    role = forms.ChoiceField(
        label="Role",
        choices=_ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date (optional)", required=False)


class TeamMembershipForm(GovukForm):
    """A team joined from a day, until a day or with no end."""

    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        error_messages={"required": "Select a team"},
    )
    starts_on = GovukDateField(label="Start date")
    ends_on = GovukDateField(label="End date (optional)", required=False)


class EndDateForm(GovukForm):
    """The last day of a role or a team membership."""

    ends_on = GovukDateField(label="End date", help_text="The last day, included")


class TwoFactorRolesForm(GovukForm):
    """The roles whose holders must sign in with two factors."""

    roles = forms.MultipleChoiceField(
        label="Roles that must use two factors",
        choices=_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "People in these roles who sign in with a password must also give a code from an "
            "authenticator app"
        ),
    )


class SweRegistrationForm(GovukForm):
    """A user's Social Work England registration number (checked by the action)."""

    swe_registration_number = forms.CharField(
        label="Social Work England registration number",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        help_text=(
            "SW followed by digits, like SW12345. Leave blank for someone who is not a "
            "registered social worker."
        ),
    )


class _CaseHolderChoices(ModelChoiceIterator):
    """The field's choices: its team's practitioners first, then the others (``in_team_first``)."""

    field: CaseHolderField

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, users in in_team_first(self.queryset, self.field.team):
            choices = [self.choice(user) for user in users]
            if group is None:
                yield from choices
            else:
                yield (group, choices)


class CaseHolderField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Choose who holds (or leads) a child's case: only those who can hold cases
    (``queries.case_holders``: social workers and team managers), ``team``'s first, then the
    others, each by surname with their caseload now ("Sam Worth (3 children)"). Set ``team``
    (the team the case is with, or is going to) when the form is made; a user the list does
    not offer is refused. Error messages given are added to the field's own."""

    iterator = _CaseHolderChoices

    def __init__(self, *, team: Team | None = None, **kwargs: Any) -> None:
        kwargs["error_messages"] = {
            "invalid_choice": "Select a social worker or team manager from the list",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(queryset=case_holders(), **kwargs)
        self.team = team

    def label_from_instance(self, obj: User) -> str:
        return caseload_label(obj, self.team)


class SecurityKeyNameForm(GovukForm):
    """A name for one of your security keys, to tell them apart."""

    name = forms.CharField(
        label="Name",
        max_length=64,
        help_text="For example, the key's colour or where you keep it",
        error_messages={"required": "Enter a name for the security key"},
    )


class SecurityKeyRemoveForm(GovukForm):
    """Confirms removing a security key (no fields: the button is the answer)."""
