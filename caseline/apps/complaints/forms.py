"""Forms for complaints. Field names are the actions' keywords."""

from __future__ import annotations

from django import forms

from caseline.apps.complaints.models import Complainant, Stage, StageOutcome, Theme
from caseline.apps.core.forms import GovukDateField, GovukForm

_DATE_HINT = "For example, 27 3 2026"
_YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


def _text(label: str, message: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": message},
    )


class ComplaintForm(GovukForm):
    received_date = GovukDateField(
        label="Date the complaint was received",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date the complaint was received"},
    )
    complainant = forms.ChoiceField(
        label="Who is complaining",
        choices=Complainant.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is complaining"},
    )
    complainant_name = forms.CharField(
        label="The complainant's name",
        max_length=200,
        error_messages={"required": "Enter the complainant's name"},
    )
    theme = forms.ChoiceField(
        label="What the complaint is about",
        choices=[("", "Select"), *Theme.choices],
        error_messages={"required": "Select what the complaint is about"},
    )
    summary = _text("The complaint", "Enter what the complaint is about")
    advocacy_offered = _yes_no("Was advocacy offered?", "Select whether advocacy was offered")
    advocacy_taken_up = _yes_no("Was advocacy taken up?", "Select whether advocacy was taken up")


class ExtendForm(GovukForm):
    reason = _text("Why the stage needs more time", "Enter why the stage needs more time")


class CompleteForm(GovukForm):
    completed_date = GovukDateField(
        label="Date the response was sent (for a review panel, the date it met)",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=StageOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )


class EscalateForm(GovukForm):
    requested_date = GovukDateField(
        label="Date the complainant asked for the next stage",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date of the request"},
    )


class FindingForm(GovukForm):
    stage = forms.TypedChoiceField(
        label="Stage",
        choices=Stage.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a stage this complaint has reached"},
    )
    finding = _text("The finding", "Enter the finding")
    upheld = _yes_no("Was it upheld?", "Select whether the finding was upheld")


class LessonForm(GovukForm):
    lesson = _text("Lesson learned", "Enter the lesson learned")
    action = _text("Action to be taken", "Enter the action to be taken")
    action_due = GovukDateField(label="Action due by", help_text=_DATE_HINT, required=False)


class ReportYearForm(GovukForm):
    year = forms.IntegerField(
        label="Reporting year starting 1 April",
        min_value=2006,
        max_value=2100,
        error_messages={"required": "Enter the year", "invalid": "Enter the year as a number"},
    )
