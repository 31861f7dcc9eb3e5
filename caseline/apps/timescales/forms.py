"""The form to change a local standard's interval. Business rules live in the action."""

from __future__ import annotations

from django import forms

from caseline.apps.core.forms import GovukForm
from caseline.apps.timescales.actions import UNIT_LABELS


class LocalStandardForm(GovukForm):
    count = forms.IntegerField(
        label="Number",
        help_text="For example, 10",
        error_messages={
            "required": "Enter the number of days, weeks or months",
            "invalid": "The number must be a whole number, like 10",
        },
    )
    unit = forms.ChoiceField(
        label="Measured in",
        choices=[(unit.value, label.capitalize()) for unit, label in UNIT_LABELS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the unit the timescale is measured in"},
    )
    reason = forms.CharField(
        label="Why is the local standard changing?",
        help_text="For example, the practice standard agreed by the service leadership team",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the local standard is changing"},
    )
