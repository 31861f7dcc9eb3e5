"""Forms for allegations. Field names are the actions' keywords."""

from __future__ import annotations

from django import forms

from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.lado.models import Outcome, Sector, Source

_DATE_HINT = "For example, 27 3 2026"


def _text(label: str, message: str, *, required: bool = True, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": message},
    )


class AllegationForm(GovukForm):
    received_date = GovukDateField(
        label="Date the allegation was received",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date the allegation was received"},
    )
    source = forms.ChoiceField(
        label="How the allegation came in",
        choices=[("", "Select"), *Source.choices],
        error_messages={"required": "Select how the allegation came in"},
    )
    adult_name = forms.CharField(
        label="The adult's name",
        max_length=200,
        error_messages={"required": "Enter the adult's name"},
    )
    adult_employer = forms.CharField(
        label="Employer or organisation",
        max_length=200,
        error_messages={"required": "Enter the adult's employer"},
    )
    adult_role = forms.CharField(
        label="Their role",
        max_length=200,
        error_messages={"required": "Enter the adult's role"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=[("", "Select"), *Sector.choices],
        error_messages={"required": "Select the sector the adult works in"},
    )
    what_was_alleged = _text("What was alleged", "Enter what was alleged")
    child_ids = forms.CharField(
        label="The children's record numbers",
        help_text=(
            "The number at the end of each child's record address, for example 1042. "
            "Separate several with commas."
        ),
        max_length=500,
        error_messages={"required": "Enter the record number of at least one child"},
    )

    def clean_child_ids(self) -> list[int]:
        raw = self.cleaned_data["child_ids"]
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        bad = [p for p in parts if not p.isdigit()]
        if bad:
            raise forms.ValidationError(
                f"Record numbers are whole numbers: {', '.join(bad)} is not one"
            )
        return [int(p) for p in parts]


class InitialConsiderationForm(GovukForm):
    consideration_date = GovukDateField(
        label="Date of the initial consideration",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date of the initial consideration"},
    )
    threshold_met = forms.TypedChoiceField(
        label="Does the allegation meet the threshold for the allegations procedure?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the threshold is met"},
    )
    notes = _text("Reasons", "", required=False)


class StrategyMeetingForm(GovukForm):
    meeting_date = GovukDateField(
        label="Date of the meeting",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date of the meeting"},
    )
    attendees = _text(
        "Who attended", "Enter who attended", hint="Name, role and agency, one a line"
    )
    decisions = _text("What the meeting decided", "Enter what the meeting decided")


class OutcomeForm(GovukForm):
    police_action = _text("Police action", "", required=False)
    employer_action = _text(
        "Employer action",
        "",
        required=False,
        hint="Suspension, disciplinary action, referral to DBS",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    outcome_date = GovukDateField(
        label="Date of the outcome",
        help_text=_DATE_HINT,
        error_messages={"required": "Enter the date of the outcome"},
    )


class ReportYearForm(GovukForm):
    year = forms.IntegerField(
        label="Reporting year starting 1 April",
        min_value=2006,
        max_value=2100,
        error_messages={"required": "Enter the year", "invalid": "Enter the year as a number"},
    )
