"""The assessment's forms, in the GOV.UK style. Hints prompt good practice."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.assessments.models import Assessment
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _from_bool(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "") if value is not None else ""


class StartAssessmentForm(GovukForm):
    start_date = GovukDateField(
        label="Start date",
        help_text="The day the assessment started, for example 27 3 2025",
        error_messages={"required": "Enter the start date"},
    )


class AssessmentForm(GovukForm):
    """The long form. Sections are text; nothing but consistency is required until sign-off."""

    version = VersionField()
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the start date"}
    )
    child_seen = forms.ChoiceField(
        label="Was the child seen during the assessment?",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    child_seen_alone = forms.ChoiceField(
        label="Was the child seen alone?",
        choices=_YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    date_child_seen = GovukDateField(label="Date the child was last seen", required=False)
    child_views = forms.CharField(
        label="The child's views and wishes",
        help_text=(
            "What the child said, showed or did, in their own words where you can. For a baby "
            "or a child who does not speak yet, describe what you observed: how they respond "
            "to their carers, their routines, their mood. Do not write that they are too young."
        ),
        widget=_textarea(8),
        required=False,
    )
    child_views_method = forms.ChoiceField(
        label="How were the child's views gathered?",
        help_text="Choose the way that suited the child's age and understanding",
        choices=Assessment.ViewsMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    child_views_method_other = forms.CharField(
        label="If you chose another way, describe it", max_length=200, required=False
    )
    parents_views = forms.CharField(
        label="Parents' and carers' views",
        help_text="Include each parent, including fathers and partners living elsewhere",
        widget=_textarea(),
        required=False,
    )
    identity = forms.CharField(
        label="Identity, culture, religion, language and heritage",
        help_text="What these mean for this child and how they affect their needs and care",
        widget=_textarea(),
        required=False,
    )
    family_history = forms.CharField(
        label="Family history and functioning",
        help_text="Significant events, previous involvement with services, who is in the family",
        widget=_textarea(),
        required=False,
    )
    risk_factors = forms.CharField(
        label="Risks and concerns",
        help_text="What has happened, what you are worried about and why, with evidence",
        widget=_textarea(),
        required=False,
    )
    protective_factors = forms.CharField(
        label="Strengths and protective factors",
        help_text="What is working well and who keeps the child safe",
        widget=_textarea(),
        required=False,
    )
    analysis = forms.CharField(
        label="Analysis",
        help_text=(
            "Weigh the risks against the strengths: what is the impact on the child, what "
            "is likely to happen if nothing changes, and what needs to change"
        ),
        widget=_textarea(10),
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Assessment.Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommendation = forms.CharField(
        label="Recommendation",
        help_text="What should happen next, by whom and by when",
        widget=_textarea(),
        required=False,
    )
    factors = forms.MultipleChoiceField(
        label="Factors identified at assessment",
        help_text="Choose every factor that applies. Choose 21 only if there are none",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    late_reason = forms.CharField(
        label="Reason the assessment took longer than 45 working days",
        help_text="Only needed if it is authorised more than 45 working days after the referral",
        widget=_textarea(3),
        required=False,
    )

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        if not args and "data" not in kwargs and not kwargs.get("initial"):
            kwargs["initial"] = self.initial_from(assessment)
        super().__init__(*args, **kwargs)
        year = collection_year(assessment.start_date)
        factors = code_list(CodeListName.ASSESSMENT_FACTOR)
        choices = factors.choices(year)
        # Keep a code recorded earlier visible even if retired since.
        known = {code for code, _ in choices}
        choices += [
            (code, f"{code} - {factors.label(code)}")
            for code in assessment.factors
            if code not in known
        ]
        field = self.fields["factors"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices

    @staticmethod
    def initial_from(assessment: Assessment) -> dict[str, Any]:
        return {
            "version": assessment.version,
            "start_date": assessment.start_date,
            "child_seen": _from_bool(assessment.child_seen),
            "child_seen_alone": _from_bool(assessment.child_seen_alone),
            "date_child_seen": assessment.date_child_seen,
            "child_views": assessment.child_views,
            "child_views_method": assessment.child_views_method,
            "child_views_method_other": assessment.child_views_method_other,
            "parents_views": assessment.parents_views,
            "identity": assessment.identity,
            "family_history": assessment.family_history,
            "risk_factors": assessment.risk_factors,
            "protective_factors": assessment.protective_factors,
            "analysis": assessment.analysis,
            "outcome": assessment.outcome,
            "recommendation": assessment.recommendation,
            "factors": list(assessment.factors),
            "late_reason": assessment.late_reason,
        }

    def values(self) -> dict[str, Any]:
        """The cleaned data as model values for ``save_assessment``."""
        data = dict(self.cleaned_data)
        data.pop("version")
        data["child_seen"] = _to_bool(data["child_seen"])
        data["child_seen_alone"] = _to_bool(data["child_seen_alone"])
        data["factors"] = list(data["factors"])
        return data


class AuthoriseForm(GovukForm):
    authorised_on = GovukDateField(
        label="Date of authorisation",
        help_text="This is the date the assessment is completed, for timeliness and returns",
        error_messages={"required": "Enter the date of authorisation"},
    )
    manager_comment = forms.CharField(
        label="Your comment on the assessment and its decision",
        help_text=(
            "Your management oversight: what you make of the analysis, and why the outcome "
            "is right for the child. It is shown on the assessment"
        ),
        widget=_textarea(5),
        error_messages={"required": "Enter your comment on the assessment and its decision"},
    )
    late_reason = forms.CharField(
        label="Reason the assessment took longer than 45 working days",
        help_text="Only needed if it is authorised more than 45 working days after the referral",
        widget=_textarea(3),
        required=False,
    )


class SubmitForm(GovukForm):
    """Submitting asks nothing more: the button is the whole form."""


class ReturnForm(GovukForm):
    reasons = forms.CharField(
        label="Why are you returning the assessment?",
        help_text="Say what needs to be added or changed before you can authorise it",
        widget=_textarea(5),
        error_messages={"required": "Enter why you are returning the assessment"},
    )
