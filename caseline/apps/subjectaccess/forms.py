"""Subject access's forms."""

from __future__ import annotations

from django import forms

from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.subjectaccess.models import SubjectAccessRequest


class RecordRequestForm(GovukForm):
    requester = forms.ChoiceField(
        label="Who is asking?",
        choices=SubjectAccessRequest.Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is asking"},
    )
    received_on = GovukDateField(
        label="Date the request was received",
        help_text="The day it arrived counts as the first day, whether a working day or not",
    )
    identity_confirmed_on = GovukDateField(
        label="Date the requester's identity was confirmed (if after the request)",
        required=False,
    )


class ExtendRequestForm(GovukForm):
    months = forms.TypedChoiceField(
        label="Extend by",
        coerce=int,
        choices=[(1, "1 month"), (2, "2 months")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select an extension of 1 or 2 months"},
    )
    reason = forms.CharField(
        label="Why does the request need longer?",
        help_text="The requester must be told this within the first month",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the request needs longer"},
    )


class CompleteRequestForm(GovukForm):
    completed_on = GovukDateField(label="Date the answer was sent")
