"""Forms for child in need plans, reviews and visits. Business rules live in the actions.

The plan's outcomes and actions use the shared SMART plan forms (``plans.forms``).
"""

from __future__ import annotations

from django import forms

from caseline.apps.cin.models import CINPlan, PlanReview, PreProceedingsMeeting
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField
from caseline.apps.plans.forms import (
    YES_NO,
    IdentityFormMixin,
    date_field,
    identity_field,
    radios,
    text_field,
    yes_no,
)
from caseline.apps.plans.identity import REVIEW_IDENTITY_HINT

_BEDROOM = [*YES_NO, ("unknown", "Not seen or not relevant")]


class PlanForm(IdentityFormMixin, GovukForm):
    start_date = GovukDateField(
        label="Plan start date",
        help_text="The date the plan was agreed, for example 27 3 2025",
        error_messages={"required": "Enter the plan start date"},
    )
    child_views = text_field(
        "The child's views on the plan",
        "Enter the child's views on the plan",
        help_text=(
            "What the child said, in their own words where you can, and how you found out. "
            "If the child is too young to say, record what you observed."
        ),
        rows=5,
    )
    family_views = forms.CharField(
        label="The family's views on the plan (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    identity_needs = identity_field()
    version = VersionField()  # removed when the plan is started


class ReviewForm(IdentityFormMixin, GovukForm):
    review_date = GovukDateField(
        label="Review date", error_messages={"required": "Enter the review date"}
    )
    progress = text_field(
        "Progress since the plan started or was last reviewed",
        "Enter the progress made on the plan",
        rows=5,
    )
    child_views = text_field("The child's views", "Enter the child's views", rows=5)
    identity_needs = identity_field(help_text=REVIEW_IDENTITY_HINT)
    decision = radios(
        "Decision",
        PlanReview.Decision.choices,
        "Select the review's decision",
        help_text="Stepping down, ending or escalating ends this plan on the review date",
    )


class EndPlanForm(GovukForm):
    end_date = GovukDateField(
        label="Plan end date", error_messages={"required": "Enter the plan end date"}
    )
    end_reason = radios(
        "Why is the plan ending?", CINPlan.EndReason.choices, "Select why the plan is ending"
    )
    end_note = forms.CharField(
        label="More detail (needed for another reason)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _optional_yes_no(
    label: str, choices: list[tuple[str, str]], help_text: str = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        coerce=yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class VisitForm(GovukForm):
    visit_date = GovukDateField(
        label="Date of the visit", error_messages={"required": "Enter the date of the visit"}
    )
    child_seen = forms.TypedChoiceField(
        label="Was the child seen?",
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was seen"},
    )
    child_seen_alone = _optional_yes_no(
        "Was the child seen alone?", YES_NO, "Answer only if the child was seen"
    )
    seen_bedroom = _optional_yes_no("Was the child's bedroom seen?", _BEDROOM)
    not_seen_reason = forms.CharField(
        label="Why was the child not seen?",
        help_text="Answer only if the child was not seen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purpose = text_field("Purpose of the visit", "Enter the purpose of the visit", rows=3)
    observations = text_field("What you observed", "Enter what you observed", rows=5)
    child_views = forms.CharField(
        label="The child's views",
        help_text="What the child said or showed you, in their own words where you can",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- Pre-proceedings and family group decision-making ----------------------------------------


def _required_yes_no(label: str, message: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


def _outcome_choices() -> list[tuple[str, str]]:
    return code_list(CodeListName.PRE_PROCEEDINGS_OUTCOME).choices()


class StartPreProceedingsForm(GovukForm):
    start_date = date_field(
        "Date of the decision to start pre-proceedings",
        "Enter the date of the decision to start pre-proceedings",
    )
    start_reason = text_field(
        "Why did pre-proceedings start?",
        "Enter why pre-proceedings started",
        help_text="The legal planning meeting (or other forum) that decided, and its reasons",
    )


class LetterBeforeProceedingsForm(GovukForm):
    letter_sent_on = date_field(
        "Date the letter before proceedings was sent", "Enter the date the letter was sent"
    )
    fgdm_offered = _required_yes_no(
        "Did the letter offer a family group decision-making meeting?",
        "Select whether the letter offered a family group decision-making meeting",
    )


class FamilyGroupDecisionMakingForm(GovukForm):
    fgdm_facilitated = _required_yes_no(
        "Was a family group decision-making meeting facilitated?",
        "Select whether a family group decision-making meeting was facilitated",
        help_text="In the pre-proceedings period, after it was offered",
    )
    fgdm_held_on = date_field(
        "Date of the meeting (if it was held)",
        "Enter the date of the family group meeting",
        required=False,
    )
    fgdm_note = forms.CharField(
        label="About the meeting, or why none was facilitated",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PreProceedingsMeetingForm(GovukForm):
    kind = radios(
        "Which meeting was this?",
        PreProceedingsMeeting.Kind.choices,
        "Select which meeting this was",
    )
    held_on = date_field("Date of the meeting", "Enter the date of the meeting")
    note = forms.CharField(
        label="What was agreed (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EndPreProceedingsForm(GovukForm):
    decided_on = date_field(
        "Date of the decision to step up or down", "Enter the date of the decision"
    )
    outcome = radios(
        "Outcome of pre-proceedings",
        _outcome_choices,
        "Select the outcome of pre-proceedings",
        help_text=(
            "The CIN census codes A, B and C. Caseline has not yet checked their meanings "
            "against the DfE's 2026 to 2027 guide: ask your data team if unsure."
        ),
    )
    outcome_note = text_field("Reasons for the decision", "Enter the reasons for the decision")


class CourtApplicationForm(GovukForm):
    court_application_on = date_field(
        "Date the application for care proceedings was made to court",
        "Enter the date of the court application",
    )
    proceedings_letter_sent_on = date_field(
        "Date the letter initiating care proceedings was sent to the parents (if sent)",
        "Enter the date the letter was sent",
        required=False,
    )
