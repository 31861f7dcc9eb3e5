"""Front door forms, in the GOV.UK style. Business rules live in the actions."""

from __future__ import annotations

import datetime
import re
from functools import partial
from typing import Any

from django import forms
from django.utils import timezone

from caseline.apps.accounts.forms import CaseHolderField
from caseline.apps.accounts.models import Team
from caseline.apps.accounts.queries import case_holders, case_holding_teams
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField
from caseline.apps.frontdoor.models import Contact, start_of_day
from caseline.apps.people.models import Person

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _code_choices(name: CodeListName, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *code_list(name).choices()]


def combine_date_time(
    form: forms.Form, date_field: str, time_field: str, *, blank_date_is_today: bool = False
) -> tuple[datetime.datetime | None, bool]:
    """The aware local moment a GOV.UK date field and an "HH:MM" text field give, and whether
    a time was given.

    With no time, the start of the day: never later than anything else that day, and shown
    as the date alone (a time nobody entered, such as 09:00, is never made up). With
    ``blank_date_is_today``, a blank date is today, and a blank date and time are now.
    """
    day = form.cleaned_data.get(date_field)
    text = (form.cleaned_data.get(time_field) or "").strip()
    time = None
    if text:
        match = _TIME.match(text)
        if match is None:
            form.add_error(time_field, "Enter the time in 24-hour format, for example 14:30")
            return None, True
        time = datetime.time(int(match[1]), int(match[2]))
    if day is None:
        if not blank_date_is_today or form.has_error(date_field):
            return None, True
        if time is None:
            return timezone.localtime().replace(second=0, microsecond=0), True
        day = timezone.localdate()
    if time is None:
        return start_of_day(day), False
    return timezone.make_aware(datetime.datetime.combine(day, time)), True


class ContactForm(GovukForm):
    received_on = GovukDateField(
        label="Date the contact was received",
        help_text="For example, 17 4 2025",
        error_messages={"required": "Enter the date the contact was received"},
    )
    received_time = forms.CharField(
        label="Time received (optional)",
        required=False,
        help_text="24-hour clock, for example 14:30. Leave blank if you do not know it",
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
        data["received_at"], data["received_time_given"] = combine_date_time(
            self, "received_on", "received_time"
        )
        return data

    def other_people(self) -> list[tuple[Person, str]]:
        return [self.related[pk] for pk in self.cleaned_data.get("others", [])]


class ContactCorrectionForm(ContactForm):
    """A contact's details, to correct before it is decided: the contact form, filled in, with
    the version it was read at."""

    version = VersionField()

    @staticmethod
    def initial_from(contact: Contact, others: list[Person]) -> dict[str, Any]:
        """The form's starting values: the contact as it is (``others``: the people it is
        about beside its first child)."""
        received = timezone.localtime(contact.received_at)
        return {
            "version": contact.version,
            "received_on": received.date(),
            "received_time": f"{received:%H:%M}" if contact.received_time_given else "",
            "source": contact.source,
            "referrer_name": contact.referrer_name,
            "referrer_organisation": contact.referrer_organisation,
            "referrer_contact": contact.referrer_contact,
            "concern": contact.concern,
            "consent": contact.consent,
            "consent_note": contact.consent_note,
            "others": [str(person.pk) for person in others],
        }


class DecisionForm(GovukForm):
    # The contact's version when the page was opened: a correction since refuses the decision.
    version = VersionField()
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
        help_text="Leave blank if you decided today",
        required=False,
    )
    decided_time = forms.CharField(
        label="Time of the decision (optional)",
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 14:30. Leave the date and time blank if you "
        "decided just now",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["decided_at"], data["decided_time_given"] = combine_date_time(
            self, "decided_on", "decided_time", blank_date_is_today=True
        )
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
    primary_need = forms.ChoiceField(
        label="Primary need (optional)",
        help_text="Give it here if the referral did not have one, or it has changed",
        required=False,
        choices=partial(_code_choices, CodeListName.PRIMARY_NEED, "Keep the referral's"),
    )
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
        queryset=case_holding_teams(),
        empty_label="Select a team",
        error_messages={
            "required": "Select a team",
            "invalid_choice": "Select a team that holds children's cases",
        },
    )
    worker = CaseHolderField(
        label="Worker (optional)",
        required=False,
        empty_label="No worker yet",
        help_text=(
            "The worker must be a member of the team. The team's social workers and managers "
            "come first, each with the number of children allocated to them now"
        ),
    )
    start_date = GovukDateField(
        label="Allocation date", error_messages={"required": "Enter the allocation date"}
    )
    change_reason = forms.ChoiceField(
        label="Why is the social worker changing?",
        required=False,
        choices=(),
        help_text=(
            "Needed when you name a worker. For a child's first worker, or after a new "
            "referral, choose first contact or re-referral"
        ),
    )
    reason = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        change_reason = self.fields["change_reason"]
        assert isinstance(change_reason, forms.ChoiceField)
        change_reason.choices = [
            ("", "Select a reason"),
            *code_list(CodeListName.SOCIAL_WORKER_CHANGE_REASON).choices(),
        ]
        # The team chosen (as posted, or to start with) puts its practitioners first.
        chosen = self["team"].value()
        team = chosen if isinstance(chosen, Team) else None
        if team is None and str(chosen or "").isdigit():
            team = Team.objects.filter(pk=int(chosen)).first()
        worker = self.fields["worker"]
        assert isinstance(worker, CaseHolderField)
        worker.team = team
        # Only a member of the team can be allocated: someone in no team never could be.
        worker.queryset = case_holders().filter(team__isnull=False)
