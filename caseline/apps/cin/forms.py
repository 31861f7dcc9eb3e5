"""Forms for child in need plans, reviews and visits. Business rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.cin.models import CINPlan, PlanAction, PlanReview
from caseline.apps.core.forms import GovukDateField, GovukForm

_YES_NO = [("yes", "Yes"), ("no", "No")]
_BEDROOM = [("yes", "Yes"), ("no", "No"), ("unknown", "Not seen or not relevant")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _text(label: str, required_message: str, *, help_text: str = "", rows: int = 5) -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
    )


class PlanForm(GovukForm):
    start_date = GovukDateField(
        label="Plan start date",
        help_text="The date the plan was agreed, for example 27 3 2025",
        error_messages={"required": "Enter the plan start date"},
    )
    child_views = _text(
        "The child's views on the plan",
        "Enter the child's views on the plan",
        help_text=(
            "What the child said, in their own words where you can, and how you found out. "
            "If the child is too young to say, record what you observed."
        ),
    )
    family_views = forms.CharField(
        label="The family's views on the plan (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OutcomeForm(GovukForm):
    outcome = _text(
        "What we want to be different",
        "Enter what we want to be different for the child",
        help_text="In words the child and family would use",
        rows=3,
    )

    def __init__(self, *args: Any, child_name: str = "the child", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].label = f"What we want to be different for {child_name}"


class ActionForm(GovukForm):
    what = _text("What will happen", "Enter what will happen", rows=3)
    who = forms.CharField(
        label="Who will do it",
        help_text="Their name and role, for example Mum (Sarah) or Health visitor",
        max_length=200,
        error_messages={
            "required": (
                "Enter who will do it, with their name or role, for example Mum (Sarah) or "
                "Health visitor"
            )
        },
    )
    by_when = GovukDateField(
        label="By when",
        help_text="For example 27 3 2025",
        error_messages={"required": "Enter the date by when it will be done"},
    )
    how_we_will_know = _text(
        "How we will know it has worked", "Enter how we will know it has worked", rows=3
    )


class ActionStatusForm(GovukForm):
    status = forms.ChoiceField(
        label="Progress",
        choices=PlanAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the progress on this action"},
    )
    status_note = forms.CharField(
        label="Note (optional if done or in progress)",
        help_text="Say why, if the action was not done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(GovukForm):
    review_date = GovukDateField(
        label="Review date", error_messages={"required": "Enter the review date"}
    )
    progress = _text(
        "Progress since the plan started or was last reviewed",
        "Enter the progress made on the plan",
    )
    child_views = _text("The child's views", "Enter the child's views")
    decision = forms.ChoiceField(
        label="Decision",
        help_text="Stepping down, ending or escalating ends this plan on the review date",
        choices=PlanReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the review's decision"},
    )


class EndPlanForm(GovukForm):
    end_date = GovukDateField(
        label="Plan end date", error_messages={"required": "Enter the plan end date"}
    )
    end_reason = forms.ChoiceField(
        label="Why is the plan ending?",
        choices=CINPlan.EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the plan is ending"},
    )
    end_note = forms.CharField(
        label="More detail (needed for another reason)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VisitForm(GovukForm):
    visit_date = GovukDateField(
        label="Date of the visit", error_messages={"required": "Enter the date of the visit"}
    )
    child_seen = forms.TypedChoiceField(
        label="Was the child seen?",
        choices=_YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was seen"},
    )
    child_seen_alone = forms.TypedChoiceField(
        label="Was the child seen alone?",
        help_text="Answer only if the child was seen",
        choices=_YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    seen_bedroom = forms.TypedChoiceField(
        label="Was the child's bedroom seen?",
        choices=_BEDROOM,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    not_seen_reason = forms.CharField(
        label="Why was the child not seen?",
        help_text="Answer only if the child was not seen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purpose = _text("Purpose of the visit", "Enter the purpose of the visit", rows=3)
    observations = _text("What you observed", "Enter what you observed")
    child_views = forms.CharField(
        label="The child's views",
        help_text="What the child said or showed you, in their own words where you can",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
