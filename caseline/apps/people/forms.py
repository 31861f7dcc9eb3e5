"""Forms for finding, adding and changing people, in the GOV.UK style."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField
from caseline.apps.people.models import (
    Address,
    ContactDetail,
    OtherName,
    Person,
    Relationship,
)
from caseline.apps.people.validators import validate_nhs_number, validate_postcode, validate_upn


def _coded(name: CodeListName, blank: str = "Not known or not recorded") -> list[tuple[str, str]]:
    return [("", blank), *((c.code, c.label) for c in code_list(name).current())]


class SearchForm(GovukForm):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="First name, last name or both. Spelling does not need to be exact.",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    identifier = forms.CharField(
        label="NHS number, unique pupil number or Caseline ID",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(
            cleaned.get(k) for k in ("name", "date_of_birth", "identifier", "postcode")
        ):
            raise ValidationError("Enter a name, date of birth, ID number or postcode to search")
        return cleaned


class PersonForm(GovukForm):
    """Identity details, used to add a person and to change them."""

    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter a first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=255, error_messages={"required": "Enter a last name"}
    )
    preferred_name = forms.CharField(
        label="Preferred name (optional)", max_length=100, required=False
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2015. Leave blank for an unborn child.",
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth", required=False, help_text="Only for an unborn child."
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Person.Sex.choices,
        widget=forms.RadioSelect,
        initial=Person.Sex.UNKNOWN,
    )
    gender_identity = forms.ChoiceField(
        label="Gender identity (optional)", required=False, choices=()
    )
    ethnicity = forms.ChoiceField(label="Ethnicity", required=False, choices=())
    religion = forms.ChoiceField(label="Religion", required=False, choices=())
    first_language = forms.CharField(label="First language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    disabilities = forms.MultipleChoiceField(
        label="Disability",
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    immigration_status = forms.ChoiceField(label="Immigration status", required=False, choices=())
    is_uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)
    nationality = forms.CharField(label="Nationality (optional)", max_length=60, required=False)
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        help_text="10 digits, for example 999 000 0018",
    )
    upn = forms.CharField(
        label="Unique pupil number (optional)",
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    upn_unknown_reason = forms.ChoiceField(
        label="If there is no unique pupil number, why not?",
        required=False,
        choices=(),
        help_text="Leave as it is when the child has a unique pupil number.",
    )
    former_upn = forms.CharField(
        label="Former unique pupil number (optional)",
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        help_text="A number the child had before, such as a temporary one ending in a letter.",
    )
    identity_notes = forms.CharField(
        label="Identity, culture and heritage (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What identity, culture, religion, language and heritage mean for this person.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("gender_identity", _coded(CodeListName.GENDER_IDENTITY))
        self._set_choices("ethnicity", _coded(CodeListName.ETHNICITY))
        self._set_choices("religion", _coded(CodeListName.RELIGION))
        self._set_choices("immigration_status", _coded(CodeListName.IMMIGRATION_STATUS))
        self._set_choices(
            "upn_unknown_reason",
            [
                ("", "Not applicable: the child has a unique pupil number, or it is not recorded"),
                *code_list(CodeListName.UPN_UNKNOWN).choices(),
            ],
        )
        self._set_choices(
            "disabilities",
            [(c.code, c.label) for c in code_list(CodeListName.DISABILITY).current()],
        )

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data.get("nhs_number", "")
        if value:
            validate_nhs_number(value)
        return value

    def clean_upn(self) -> str:
        value: str = self.cleaned_data.get("upn", "")
        if value:
            validate_upn(value)
        return value

    def clean_former_upn(self) -> str:
        value: str = self.cleaned_data.get("former_upn", "")
        if value:
            validate_upn(value, what="Former unique pupil number")
        return value

    def identity_values(self) -> dict[str, Any]:
        from caseline.apps.people.actions import IDENTITY_FIELDS

        return {k: v for k, v in self.cleaned_data.items() if k in IDENTITY_FIELDS}


class PersonCreateForm(PersonForm):
    confirmed_not_duplicate = forms.BooleanField(
        label="I have checked the possible matches: this is a different person", required=False
    )


class RelatedPersonCreateForm(PersonCreateForm):
    """A new person added from a child's record, with how they are related."""

    kind = forms.ChoiceField(label="How are they related?", choices=Relationship.Kind.choices)
    direction = forms.ChoiceField(
        label="Which way round?",
        choices=(
            ("relative", "The new person is the relative (for example, the child's parent)"),
            (
                "child",
                "The child on the record is the relative (for example, a new baby's sibling)",
            ),
        ),
        widget=forms.RadioSelect,
        initial="relative",
    )
    has_parental_responsibility = forms.BooleanField(
        label="Has parental responsibility for the other person", required=False
    )
    lives_with = forms.BooleanField(label="They live together", required=False)


class PersonEditForm(PersonForm):
    date_of_death = GovukDateField(label="Date of death", required=False)
    version = VersionField()

    field_order = [*PersonForm.base_fields, "date_of_death"]


class RelationshipForm(GovukForm):
    kind = forms.ChoiceField(label="How are they related?", choices=Relationship.Kind.choices)
    direction = forms.ChoiceField(
        label="Which way round?",
        choices=(
            ("relative", "They are the relative of this child"),
            ("child", "This child is their relative"),
        ),
        widget=forms.RadioSelect,
        initial="relative",
    )
    start_date = GovukDateField(label="Start date (optional)", required=False)
    has_parental_responsibility = forms.BooleanField(
        label="Has parental responsibility for the other person", required=False
    )
    lives_with = forms.BooleanField(label="They live together", required=False)
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)


class EndRelationshipForm(GovukForm):
    end_date = GovukDateField(
        label="Date the relationship ended",
        error_messages={"required": "Enter the date the relationship ended"},
    )


class ProfessionalForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the professional's name"}
    )
    role = forms.CharField(
        label="Role",
        max_length=200,
        help_text="For example, GP, class teacher, health visitor",
        error_messages={"required": "Enter their role"},
    )
    agency = forms.CharField(
        label="Agency",
        max_length=200,
        error_messages={"required": "Enter the agency they work for"},
    )
    phone = forms.CharField(label="Phone (optional)", max_length=50, required=False)
    email = forms.CharField(label="Email (optional)", max_length=254, required=False)
    start_date = GovukDateField(label="Involved since (optional)", required=False)


class HouseholdForm(GovukForm):
    household_name = forms.CharField(
        label="Household name (optional)",
        max_length=200,
        required=False,
        help_text="For example, the family name and the street",
    )
    start_date = GovukDateField(label="Living together since (optional)", required=False)


class AddressForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of address is it?",
        choices=Address.Kind.choices,
        widget=forms.RadioSelect,
        initial=Address.Kind.HOME,
        help_text="The home address is the family home the child would live at if not in care.",
        error_messages={"required": "Select what kind of address this is"},
    )
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={"required": "Enter the first line of the address"},
    )
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city (optional)", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages={"required": "Enter a postcode"}
    )
    start_date = GovukDateField(
        label="Date they started living here",
        error_messages={"required": "Enter the date the person started living here"},
    )
    end_previous = forms.BooleanField(
        label="They have moved: end their current address on this date", required=False
    )

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        validate_postcode(value)
        return value


class AlertForm(GovukForm):
    text = forms.CharField(
        label="Alert",
        max_length=200,
        help_text="For example, do not disclose the address",
        error_messages={"required": "Enter the alert"},
    )
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the date the alert starts"}
    )
    end_date = GovukDateField(label="End date (optional)", required=False)


class ContactDetailForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type", choices=ContactDetail.Kind.choices, widget=forms.RadioSelect
    )
    value = forms.CharField(
        label="Number or address",
        max_length=200,
        error_messages={"required": "Enter a phone number or email address"},
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)


class OtherNameForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of name is it?",
        choices=OtherName.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of name this is"},
    )
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=255, required=False)


class MergeForm(GovukForm):
    reason = forms.CharField(
        label="Why are these the same person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why these records are the same person"},
    )


class EndAddressForm(GovukForm):
    end_date = GovukDateField(
        label="Date they stopped living here",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date they stopped living here"},
    )


class EndAlertForm(GovukForm):
    end_date = GovukDateField(
        label="Date the alert ends",
        help_text="The alert is shown until the end of this day. For example, 27 3 2025",
        error_messages={"required": "Enter the date the alert ends"},
    )


class JoinHouseholdForm(GovukForm):
    """Add a person to a household one of their relatives already lives in."""

    household = forms.TypedChoiceField(
        label="Which household?",
        coerce=int,
        widget=forms.RadioSelect,
        choices=(),
        error_messages={"required": "Select the household"},
    )
    start_date = GovukDateField(label="Living there since (optional)", required=False)

    def __init__(self, *args: Any, households: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = households


class NamedUserChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name}, {obj.team.name}" if obj.team_id else str(name)


def _named_users_field() -> NamedUserChoices:
    """Active users who may read children's records (a lazy queryset, read when shown)."""
    return NamedUserChoices(
        label="Who may see the record",
        help_text="You will be one of them.",
        queryset=User.objects.filter(
            is_active=True, groups__permissions__codename=Permission.CHILD_VIEW.codename
        )
        .select_related("team")
        .distinct()
        .order_by("last_name", "first_name", "username"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class RestrictForm(GovukForm):
    """Restrict a child's record to named users."""

    reason = forms.CharField(
        label="Why the record is restricted",
        help_text="For example, an adoption, a child of a member of staff, a high-profile case",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the record is restricted"},
    )
    named_users = _named_users_field()


class NamedUsersForm(GovukForm):
    """Change who may see a restricted record."""

    named_users = _named_users_field()


class ReasonForm(GovukForm):
    """A reason, required: to lift a restriction or to break the glass."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )
