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


class AssemblePackForm(GovukForm):
    """Nothing to fill in: the button assembles the pack."""


class AddRedactionForm(GovukForm):
    text = forms.CharField(
        label="Words to redact",
        help_text="Blanked out wherever they appear in the pack, as whole words, in any case",
        error_messages={"required": "Enter the words to redact"},
    )
    reason = forms.CharField(
        label="Why are they redacted?",
        help_text="For example: a third party's name, or information that would cause serious harm",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why it is redacted"},
    )


class RemoveRedactionForm(GovukForm):
    reason = forms.CharField(
        label="Why is this released?",
        help_text="For example: the requester already knows it, or the person has consented",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the redaction is removed"},
    )


class ApprovePackForm(GovukForm):
    confirmed = forms.BooleanField(
        label="I have reviewed the pack and its redactions and approve its release",
        required=False,
    )
