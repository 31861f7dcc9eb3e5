"""The analyst's request for a return. Which returns and years are possible is the action's."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.returns.registry import RETURNS


class ReturnRunForm(GovukForm):
    return_slug = forms.ChoiceField(
        label="Return",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a return"},
    )
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="For the CIN census and the SSDA903. A year runs from 1 April to 31 March: "
        "2026 is 1 April 2025 to 31 March 2026",
    )
    as_at = GovukDateField(
        label="As-at date",
        required=False,
        help_text="For Ofsted's Annex A: the lists cover the six months to this date "
        "(twelve for adoption). For example, 30 11 2026",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        statutory_return = RETURNS.get(cleaned.get("return_slug") or "")
        if statutory_return is None:
            return cleaned
        if statutory_return.as_at and cleaned.get("as_at") is None and "as_at" not in self.errors:
            self.add_error("as_at", f"Enter the date the {statutory_return.title} is as at")
        if not statutory_return.as_at and cleaned.get("year") is None:
            self.add_error("year", "Select a collection year")
        return cleaned

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        return_slug = self.fields["return_slug"]
        year = self.fields["year"]
        assert isinstance(return_slug, forms.ChoiceField)
        assert isinstance(year, forms.ChoiceField)
        return_slug.choices = [
            (statutory_return.slug, statutory_return.title) for statutory_return in RETURNS.values()
        ]
        years = sorted({year for r in RETURNS.values() for year in r.years}, reverse=True)
        year.choices = [(year, f"{year} ({year - 1} to {year})") for year in years]
