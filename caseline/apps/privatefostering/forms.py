"""Forms for private fostering, young carers and participation. Rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.core.forms import GovukForm
from caseline.apps.plans.forms import YES_NO, date_field, radios, text_field, yes_no
from caseline.apps.privatefostering.models import (
    SCORES,
    AgeGroup,
    CouncilMember,
    Decision,
    Notifier,
    ParticipationKind,
    SurveyQuestion,
    Told,
)


def _text(label: str, *, help_text: str = "", rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, help_text=help_text, required=False, widget=widget)


def _yes_no(label: str, message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


class NotificationForm(GovukForm):
    notified_on = date_field("Date we were notified", "Enter the date we were notified")
    notified_by = radios("Who notified us?", Notifier.choices, "Select who notified us")
    notifier_name = _text("Name of the person who notified us")
    proposed = _yes_no(
        "Was the arrangement notified before it began?",
        "Select whether the arrangement was notified before it began",
    )
    started_on = date_field("Date the arrangement began (or is to begin)", "", required=False)
    carer_name = forms.CharField(
        label="Private foster carer's name",
        error_messages={"required": "Enter the private foster carer's name"},
    )
    carer_address = _text("Private foster carer's address", rows=3)
    carer_relationship = _text(
        "The carer's relationship to the child",
        help_text="For example family friend, great-aunt, host family for a language school",
    )
    parent_name = _text("Parent's name")
    parent_address = _text("Parent's address", rows=3)
    reason = _text("Why the child lives with the carer", rows=4)


class VisitForm(GovukForm):
    visit_date = date_field("Date of the visit", "Enter the date of the visit")
    child_seen = _yes_no("Was the child seen?", "Select whether the child was seen")
    child_seen_alone = _yes_no(
        "Was the child seen alone?", "Select whether the child was seen alone"
    )
    observations = text_field(
        "What you observed",
        "Enter what you observed",
        help_text="The home, the carer and household, and the matters in Schedule 2 or 3",
        rows=5,
    )
    child_views = _text("The child's views", rows=4)


class DecisionForm(GovukForm):
    decision = radios("Decision", Decision.choices, "Select the decision")
    decision_date = date_field("Date of the decision", "Enter the date of the decision")
    decision_reasons = text_field("Reasons", "Enter the reasons", rows=5)


class EndForm(GovukForm):
    ended_on = date_field("Date the arrangement ended", "Enter the date the arrangement ended")
    end_reason = text_field(
        "Why the arrangement ended",
        "Enter why the arrangement ended",
        help_text="For example the child went home, turned 16, or became looked after",
        rows=3,
    )


class YoungCarerForm(GovukForm):
    identified_on = date_field(
        "Date the child was identified as a young carer", "Enter the date identified"
    )
    cares_for = forms.CharField(
        label="Who the child cares for",
        help_text="For example mum, who has multiple sclerosis",
        error_messages={"required": "Enter who the child cares for"},
    )
    caring_role = text_field(
        "What the child does as a carer", "Enter what the child does as a carer", rows=4
    )


class YoungCarerAssessedForm(GovukForm):
    assessed_on = date_field("Date the assessment was done", "Enter the date of the assessment")
    needs_support = _yes_no(
        "Did the assessment find needs for support?",
        "Select whether the assessment found needs for support",
    )
    outcome = text_field("Outcome of the assessment", "Enter the outcome", rows=5)


class YoungCarerSupportForm(GovukForm):
    support = forms.CharField(
        label="Support given", error_messages={"required": "Enter the support given"}
    )
    provider = _text("Who gives it")
    started_on = date_field("Date the support started", "Enter the date the support started")


def told_about_field(
    label: str = "What was the child told about?", *, required: bool = True, help_text: str = ""
) -> forms.MultipleChoiceField:
    """The ways of having a say a child may be told about, as checkboxes: on the child's
    participation page, and at a visit or a review."""
    return forms.MultipleChoiceField(
        label=label,
        choices=Told.choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
        error_messages={"required": "Select what the child was told about"},
    )


class ToldForm(GovukForm):
    on = date_field("Date the child was told", "Enter the date the child was told")
    subjects = told_about_field()
    note = _text("Where and how", help_text="For example at their review, with a leaflet", rows=3)


class ReferralForm(GovukForm):
    kind = radios(
        "What happened?",
        [c for c in ParticipationKind.choices if c[0] != ParticipationKind.TOLD],
        "Select what happened",
    )
    on = date_field("Date", "Enter the date")
    who = forms.CharField(
        label="Advocacy service or independent visitor",
        error_messages={"required": "Enter the advocacy service or independent visitor"},
    )
    note = _text("Notes", rows=3)


# --- Surveys of children's views and the Children in Care Council --------------------------


class SurveyForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the survey's title"}
    )
    opened_on = date_field("Date the survey opened", "Enter the date the survey opened")
    questions = forms.CharField(
        label="Questions",
        help_text="One a line. Children answer each from 1 (never) to 5 (always). Word a "
        "question as in the last survey to see the change.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter at least one question"},
    )

    def clean_questions(self) -> list[str]:
        return [line for line in self.cleaned_data["questions"].splitlines() if line.strip()]


class SurveyResponseForm(GovukForm):
    """A child's answers: one optional 1-to-5 choice for each of the survey's questions."""

    responded_on = date_field("Date of the response", "Enter the date of the response")
    age_group = radios("The child's age group", AgeGroup.choices, "Select the child's age group")

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{question.number}. {question.text}",
                choices=[(str(score), f"{score}: {label}") for score, label in SCORES],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[int, int]:
        return {
            q.pk: self.cleaned_data[f"q{q.pk}"]
            for q in self.questions
            if self.cleaned_data.get(f"q{q.pk}") is not None
        }


class WhatChangedForm(GovukForm):
    what_changed = text_field("What changed as a result", "Enter what changed as a result", rows=6)


class CouncilMemberForm(GovukForm):
    person_id = forms.IntegerField(
        label="The child's record number",
        min_value=1,
        error_messages={"required": "Enter the child's record number"},
    )
    joined_on = date_field("Date they joined", "Enter the date they joined")


class CouncilMeetingForm(GovukForm):
    meeting_on = date_field("Date of the meeting", "Enter the date of the meeting")
    attended = forms.MultipleChoiceField(
        label="Who attended", required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = _text("What the council discussed", rows=4)

    def __init__(self, *args: Any, members: list[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["attended"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), f"{m.person.given_name} {m.person.family_name}") for m in members
        ]

    def clean_attended(self) -> list[CouncilMember]:
        return [self.members[pk] for pk in self.cleaned_data["attended"]]
