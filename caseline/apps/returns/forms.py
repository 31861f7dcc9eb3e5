"""The analyst's request for a return. Which returns and years are possible is the action's."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.core.forms import GovukForm
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
        help_text="A year runs from 1 April to 31 March: 2026 is 1 April 2025 to 31 March 2026",
        error_messages={"required": "Select a collection year"},
    )

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
