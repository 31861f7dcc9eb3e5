"""The filter on the work pages: by kind of work (rule) and by status."""

from __future__ import annotations

from django import forms

from caseline.apps.core.forms import GovukForm
from caseline.apps.mywork.queries import STATUS_LABELS, StatusFilter


class WorkFilterForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of work", required=False)
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[(s.value, label) for s, label in STATUS_LABELS.items()],
        widget=forms.RadioSelect,
    )

    def __init__(self, data: object, kinds: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["kind"].choices = [("", "All kinds"), *kinds]  # type: ignore[attr-defined]

    def chosen(self) -> tuple[str, str]:
        """The kind and status chosen; anything not offered counts as no filter."""
        if not self.is_valid():
            return "", StatusFilter.ALL
        return self.cleaned_data["kind"], self.cleaned_data["status"] or StatusFilter.ALL
