"""The chronology filter and the form for an event another agency reported."""

from __future__ import annotations

from django import forms

from caseline.apps.chronology.queries import ChronologyFilter
from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.people.contribution import Category


class ChronologyFilterForm(GovukForm):
    categories = forms.MultipleChoiceField(
        label="Show",
        required=False,
        choices=[(c.value, c.label) for c in Category],
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty to show everything",
    )
    significant_only = forms.BooleanField(label="Significant events only", required=False)
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data

    def to_filter(self) -> ChronologyFilter:
        if not self.is_bound or not self.is_valid():
            return ChronologyFilter()
        data = self.cleaned_data
        return ChronologyFilter(
            categories=frozenset(Category(c) for c in data.get("categories") or []),
            significant_only=bool(data.get("significant_only")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class AgencyEventForm(GovukForm):
    event_date = GovukDateField(label="Date of the event")
    agency = forms.CharField(
        label="Agency that reported it",
        max_length=200,
        help_text="For example, police, the child's school, the health visitor",
        error_messages={"required": "Enter the agency that reported the event"},
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )
    why_it_matters = forms.CharField(
        label="Why it matters for the child",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What this event means for the child's safety, needs or plan",
        error_messages={"required": "Enter why this matters for the child"},
    )
