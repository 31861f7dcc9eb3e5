"""Forms for the current placement's placement plan and notice. Fields check shape; the
actions (``actions.placement_records``) check the rules."""

from __future__ import annotations

from django import forms

from caseline.apps.core.forms import GovukForm
from caseline.apps.lookedafter.forms import area, date_field, text, yes_no
from caseline.apps.lookedafter.models import PlacementNotice


class PlacementPlanForm(GovukForm):
    agreed_on = date_field(
        "Date the placement plan was agreed", "Enter the date the placement plan was agreed"
    )
    agreed_with = text(
        "Who agreed and signed it",
        "Enter who agreed and signed the placement plan",
        max_length=200,
        help_text="The carer, or the home or provider the child lives with",
    )
    summary = area(
        "How the placement will meet the child's needs",
        "Enter how the placement will meet the child's needs",
        "Day-to-day care, contact, health, education, and who decides what",
    )


class PlacementNoticeForm(GovukForm):
    emergency = yes_no(
        "Was the placement made in an emergency?",
        message="Select whether the placement was made in an emergency",
        help_text=(
            "Notice is due before a planned placement, or within 5 working days of an emergency one"
        ),
    )
    given_on = date_field("Date notice was given", "Enter the date notice was given")
    given_to = forms.MultipleChoiceField(
        label="Who was given notice",
        choices=PlacementNotice.Recipient.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    given_to_other = text("Anyone else given notice", required=False, max_length=200)


class PlacementCostForm(GovukForm):
    weekly_cost = forms.DecimalField(
        label="Weekly cost, in pounds",
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "Enter the weekly cost",
            "invalid": "Enter the weekly cost as a number, like 650 or 650.50",
            "max_digits": "The weekly cost must be under £10m",
            "max_decimal_places": "Enter the weekly cost in pounds and pence",
        },
    )
    start_date = date_field("Date the cost applies from", "Enter the date the cost applies from")
