"""Sign-in form, a user's Social Work England registration, and the field for choosing who
holds a child's case."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.queries import case_holders, caseload_label, in_team_first
from caseline.apps.core.forms import GovukForm


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
    """Choose who holds (or leads) a child's case: only social workers and team managers,
    ``team``'s first, then the others, each by surname with their caseload now
    ("Sam Worth (3 children)"). Set ``team`` (the team the case is with, or is going to)
    when the form is made; a user the list does not offer is refused."""

    iterator = _CaseHolderChoices

    def __init__(self, *, team: Team | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "Select a social worker or team manager from the list"},
        )
        super().__init__(queryset=case_holders(), **kwargs)
        self.team = team

    def label_from_instance(self, obj: User) -> str:
        return caseload_label(obj, self.team)
