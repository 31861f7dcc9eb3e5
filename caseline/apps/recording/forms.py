"""Forms for case notes, amendments, management oversight and supervision."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField
from caseline.apps.people.models import Person
from caseline.apps.recording.actions import ActionInput
from caseline.apps.recording.models import PLAIN_NOTE_TYPES, NoteType

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class OccurredAtMixin(forms.Form):
    """The date (and optional time) something happened, as one aware datetime."""

    occurred_on = GovukDateField(
        label="Date it happened",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date it happened"},
    )
    occurred_time = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )

    def clean_occurred_time(self) -> datetime.time | None:
        text = self.cleaned_data.get("occurred_time", "")
        if not text:
            return None
        match = _TIME.match(text)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError("Enter a real time, for example 14:30")
        return datetime.time(int(match[1]), int(match[2]))

    def occurred_at(self) -> datetime.datetime:
        day: datetime.date = self.cleaned_data["occurred_on"]
        time: datetime.time | None = self.cleaned_data.get("occurred_time")
        if time is None:
            # No time given: the start of the day, so "today" is never in the future.
            time = datetime.time(0, 0)
        return timezone.make_aware(datetime.datetime.combine(day, time))


class NoteForm(OccurredAtMixin, GovukForm):
    note_type = forms.ChoiceField(
        label="Type of note",
        choices=[(t.value, t.label) for t in PLAIN_NOTE_TYPES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of note"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title"},
    )
    body = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Include what the child said, did and how they seemed.",
        error_messages={"required": "Enter what happened"},
    )
    others_involved = forms.ModelMultipleChoiceField(
        label="Other people involved (optional)",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_significant = forms.BooleanField(
        label="This is a significant event for the child",
        required=False,
        help_text="Significant events appear in the child's chronology.",
    )
    significance = forms.CharField(
        label="Why this is significant (if it is)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "note_type",
        "occurred_on",
        "occurred_time",
        "title",
        "body",
        "others_involved",
        "is_significant",
        "significance",
    ]

    def __init__(self, *args: Any, related: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = self.fields["others_involved"]
        assert isinstance(others, forms.ModelMultipleChoiceField)
        others.queryset = related
        if not related.exists():
            del self.fields["others_involved"]


class AmendNoteForm(GovukForm):
    version = VersionField()
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    reason = forms.CharField(
        label="Why are you amending this note?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The note as it was before will be kept and shown with the reason.",
        error_messages={"required": "Enter why you are amending this note"},
    )


class OversightForm(OccurredAtMixin, GovukForm):
    decision = forms.CharField(
        label="Management decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the management decision"},
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What you considered, including the child's views and risks.",
        error_messages={"required": "Enter the reasons for the decision"},
    )
    next_review_date = GovukDateField(
        label="Next review date (optional)", required=False, help_text="For example, 27 6 2025"
    )
    body = forms.CharField(
        label="Notes of the discussion (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["occurred_on", "occurred_time", "decision", "rationale", "next_review_date"]


class SupervisionForm(OccurredAtMixin, GovukForm):
    supervisee = forms.ModelChoiceField(
        label="Worker supervised",
        queryset=User.objects.none(),
        empty_label="Select a worker",
        error_messages={"required": "Select the worker being supervised"},
    )
    reflection = forms.CharField(
        label="Reflection and analysis (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is happening for the child, what is working and what worries you.",
    )
    objectives = forms.CharField(
        label="Objectives",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the work with the child must achieve.",
        error_messages={"required": "Enter the objectives for the work with the child"},
    )
    contingency = forms.CharField(
        label="Contingency",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happens if this doesn't work.",
        error_messages={"required": "Enter what will happen if the plan does not work"},
    )

    field_order = ["occurred_on", "occurred_time", "supervisee"]

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supervisee = self.fields["supervisee"]
        assert isinstance(supervisee, forms.ModelChoiceField)
        supervisee.queryset = workers


class SupervisionActionForm(GovukForm):
    action = forms.CharField(label="What will be done", required=False, max_length=1000)
    owner = forms.CharField(label="Who will do it", required=False, max_length=200)
    by_when = GovukDateField(label="By when", required=False, help_text="For example, 27 3 2025")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        filled = any(cleaned.get(name) for name in ("action", "owner", "by_when"))
        if filled:
            if not cleaned.get("action"):
                self.add_error("action", "Enter what will be done")
            if not cleaned.get("owner"):
                self.add_error("owner", "Enter who will do it")
            if not cleaned.get("by_when") and "by_when" not in self.errors:
                self.add_error("by_when", "Enter the date it will be done by")
        return cleaned

    def to_input(self) -> ActionInput | None:
        if not any(self.cleaned_data.get(n) for n in ("action", "owner", "by_when")):
            return None
        return ActionInput(
            action=self.cleaned_data["action"],
            owner=self.cleaned_data["owner"],
            by_when=self.cleaned_data["by_when"],
        )


MAX_ACTIONS = 5

SupervisionActionFormSet = forms.formset_factory(
    SupervisionActionForm, extra=MAX_ACTIONS, max_num=MAX_ACTIONS, absolute_max=MAX_ACTIONS
)


class ActionDoneForm(GovukForm):
    done_on = GovukDateField(
        label="Date it was done",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date it was done"},
    )


class NoteFilterForm(GovukForm):
    note_type = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "All types"), *NoteType.choices],
    )
    significant = forms.BooleanField(label="Significant events only", required=False)


YES_NO_NOT_ASKED = [("Y", "Yes"), ("N", "No"), ("", "Not asked")]
VOICE_QUESTIONS = {
    "explained_worries": "Did someone explain the worries about the child to them?",
    "story_helped_understand": "Did their story help them understand what is happening?",
    "agrees_with_worker": "Do they agree with what their worker has said?",
    "plan_keeps_safe": "Do they think their plan will keep them safe?",
    "tablet_helped_explain": "Did a tablet or app help them say what they think?",
}


class ChildVoiceForm(GovukForm):
    """The SSD's five voice-of-the-child questions, each yes, no or not asked."""

    asked_on = GovukDateField(label="Date the child was asked", help_text="For example, 27 6 2025")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, question in VOICE_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=YES_NO_NOT_ASKED,
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, bool | None]:
        return {
            name: None if not self.cleaned_data[name] else self.cleaned_data[name] == "Y"
            for name in VOICE_QUESTIONS
        }
