"""Front door forms, in the GOV.UK style. Business rules live in the actions."""

from __future__ import annotations

import datetime
import re
from functools import partial
from typing import Any

from django import forms
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.frontdoor.models import Contact
from caseline.apps.people.models import Person

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _code_choices(name: CodeListName, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *code_list(name).choices()]


def combine_date_time(
    form: forms.Form, date_field: str, time_field: str
) -> datetime.datetime | None:
    """An aware local datetime from a GOV.UK date field and an "HH:MM" text field.

    With no time: now, for today (a contact recorded, or decided, as it happens; 09:00
    would be in the future before nine and before the contact's receipt after it), and
    09:00 for an earlier day."""
    day = form.cleaned_data.get(date_field)
    text = (form.cleaned_data.get(time_field) or "").strip()
    if day is None:
        return None
    if not text:
        if day == timezone.localdate():
            return timezone.localtime().replace(second=0, microsecond=0)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    match = _TIME.match(text)
    if match is None:
        form.add_error(time_field, "Enter the time in 24-hour format, for example 14:30")
        return None
    moment = datetime.datetime.combine(day, datetime.time(int(match[1]), int(match[2])))
    return timezone.make_aware(moment)


class ContactForm(GovukForm):
    received_on = GovukDateField(
        label="Date the contact was received",
        help_text="For example, 17 4 2025",
        error_messages={"required": "Enter the date the contact was received"},
    )
    received_time = forms.CharField(
        label="Time received (optional)",
        required=False,
        help_text="24-hour clock, for example 14:30",
        max_length=5,
    )
    source = forms.ChoiceField(
        label="Who made the contact (source)",
        choices=partial(_code_choices, CodeListName.REFERRAL_SOURCE, "Select a source"),
        error_messages={"required": "Select who made the contact"},
    )
    referrer_name = forms.CharField(label="Referrer's name", required=False, max_length=200)
    referrer_organisation = forms.CharField(
        label="Referrer's organisation", required=False, max_length=200
    )
    referrer_contact = forms.CharField(
        label="Referrer's phone or email", required=False, max_length=200
    )
    concern = forms.CharField(
        label="What is the concern?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the concern is"},
    )
    consent = forms.ChoiceField(
        label="Consent to share information",
        choices=Contact.Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given"},
    )
    consent_note = forms.CharField(
        label="Reason consent was overridden or not sought",
        help_text="Required if consent was refused and overridden, or not sought",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    others = forms.MultipleChoiceField(
        label="Other people involved",
        help_text=(
            "Brothers and sisters you select are also recorded as children the contact is about"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, related: list[tuple[Person, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.related = {str(person.pk): (person, role) for person, role, _ in related}
        self.fields["others"].choices = [  # type: ignore[attr-defined]
            (str(person.pk), f"{person.full_name} ({label})") for person, _, label in related
        ]
        if not related:
            del self.fields["others"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["received_at"] = combine_date_time(self, "received_on", "received_time")
        return data

    def other_people(self) -> list[tuple[Person, str]]:
        return [self.related[pk] for pk in self.cleaned_data.get("others", [])]


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What happens next?",
        choices=Contact.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happens next"},
    )
    decision_rationale = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reason for the decision"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need (for a referral, optional)",
        required=False,
        choices=partial(_code_choices, CodeListName.PRIMARY_NEED, "Not known yet"),
    )
    decided_on = GovukDateField(
        label="Date of the decision",
        help_text="Leave blank for now",
        required=False,
    )
    decided_time = forms.CharField(
        label="Time of the decision (optional)",
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 14:30",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["decided_at"] = combine_date_time(self, "decided_on", "decided_time")
        return data


class ReferralForm(GovukForm):
    referral_date = GovukDateField(
        label="Referral date", error_messages={"required": "Enter the referral date"}
    )
    source = forms.ChoiceField(
        label="Source of referral",
        choices=partial(_code_choices, CodeListName.REFERRAL_SOURCE, "Select a source"),
        error_messages={"required": "Select the source of the referral"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need (optional)",
        required=False,
        choices=partial(_code_choices, CodeListName.PRIMARY_NEED, "Not known yet"),
    )


class CloseReferralForm(GovukForm):
    closed_on = GovukDateField(
        label="Closure date", error_messages={"required": "Enter the closure date"}
    )
    closure_reason = forms.ChoiceField(
        label="Reason for closure",
        choices=partial(_code_choices, CodeListName.CIN_CLOSURE_REASON, "Select a reason"),
        error_messages={"required": "Select the reason the case is closing"},
    )
    nfa = forms.BooleanField(label="The referral led to no further action", required=False)
    closure_note = forms.CharField(
        label="Closure summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class StepDownForm(GovukForm):
    date = GovukDateField(label="Date of step down", error_messages={"required": "Enter the date"})
    rationale = forms.CharField(
        label="Why is the child stepping down to early help?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the child is stepping down"},
    )
    organisation = forms.CharField(
        label="Early help organisation (optional)", required=False, max_length=200
    )
    lead_practitioner = forms.CharField(
        label="Lead practitioner (optional)", required=False, max_length=200
    )


class StepUpForm(GovukForm):
    date = GovukDateField(label="Date of step up", error_messages={"required": "Enter the date"})
    rationale = forms.CharField(
        label="Why is the child stepping up to children's social care?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the child is stepping up"},
    )


class EarlyHelpForm(GovukForm):
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the start date"}
    )
    reason = forms.CharField(
        label="Why is early help starting?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why early help is starting"},
    )
    organisation = forms.CharField(label="Organisation (optional)", required=False, max_length=200)
    lead_practitioner = forms.CharField(
        label="Lead practitioner (optional)", required=False, max_length=200
    )


class EndEarlyHelpForm(GovukForm):
    end_date = GovukDateField(label="End date", error_messages={"required": "Enter the end date"})
    end_reason = forms.CharField(
        label="Why is early help ending?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why early help is ending"},
    )


class AllocationForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        empty_label="Select a team",
        error_messages={"required": "Select a team"},
    )
    worker = forms.ModelChoiceField(
        label="Worker (optional)",
        queryset=User.objects.filter(is_active=True, team__isnull=False).order_by(
            "last_name", "first_name"
        ),
        required=False,
        empty_label="No worker yet",
        help_text="The worker must be a member of the team",
    )
    start_date = GovukDateField(
        label="Allocation date", error_messages={"required": "Enter the allocation date"}
    )
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=200)
