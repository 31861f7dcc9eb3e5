"""Retention's forms: approving a destruction, placing and lifting a legal hold."""

from __future__ import annotations

from django import forms

from caseline.apps.core.forms import GovukForm


class ApproveDestructionForm(GovukForm):
    confirm = forms.BooleanField(
        label="I have reviewed this record and approve its destruction",
        error_messages={"required": "Confirm that you have reviewed the record"},
    )


class PlaceHoldForm(GovukForm):
    reason = forms.CharField(
        label="Why must the record be kept?",
        help_text="For example, a claim, an inquiry or a complaint. Say who asked.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the record must be kept"},
    )


class LiftHoldForm(GovukForm):
    reason = forms.CharField(
        label="Why can the hold be lifted?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the hold can be lifted"},
    )
