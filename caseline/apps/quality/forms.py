"""Forms for audit tools, rounds, audits, actions and IRO challenges."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.quality.actions import AnswerInput, QuestionInput
from caseline.apps.quality.models import (
    AuditTool,
    CaseAudit,
    ChallengeOutcome,
    ChallengeStage,
    Grade,
    ModerationDecision,
    SampleKind,
    SampleTheme,
    Stage,
    Theme,
    ToolQuestion,
)
from caseline.apps.quality.queries import current_tools, holders_of


def _area(
    label: str, *, required: bool = False, message: str = "", help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": message} if message else {},
    )


def _date(
    label: str, message: str, *, required: bool = True, help_text: str = "For example, 27 3 2026"
) -> GovukDateField:
    return GovukDateField(
        label=label, help_text=help_text, required=required, error_messages={"required": message}
    )


GRADE_CHOICES = [("", "Not graded yet"), *Grade.choices]


class UserChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name}, {obj.team.name}" if obj.team_id else name


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


# --- Tools ----------------------------------------------------------------------------------


class ToolEditForm(GovukForm):
    """A tool's next version: its questions as they stand, each changeable or removable,
    and one new question."""

    title = forms.CharField(label="Title", error_messages={"required": "Enter the tool's title"})
    introduction = _area("Introduction for auditors")
    change_note = _area(
        "What changed in this version", required=True, message="Say what changed in this version"
    )

    def __init__(self, *args: Any, tool: AuditTool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"title": tool.title, "introduction": tool.introduction})
        super().__init__(*args, **kwargs)
        self.question_ids: list[int] = []
        for q in tool.questions.all():
            self.question_ids.append(q.order)
            self._question_fields(str(q.order), f"Question {q.order}", q.theme, q.text, q.guidance)
            self.fields[f"remove_{q.order}"] = forms.BooleanField(
                label=f"Remove question {q.order}", required=False
            )
        self._question_fields("new", "New question (optional)", "", "", "")

    def _question_fields(self, key: str, label: str, theme: str, text: str, guidance: str) -> None:
        self.fields[f"theme_{key}"] = forms.ChoiceField(
            label=f"{label}: theme",
            choices=[("", "Choose a theme"), *Theme.choices],
            initial=theme,
            required=False,
        )
        self.fields[f"text_{key}"] = _area(f"{label}: question")
        self.fields[f"text_{key}"].initial = text
        self.fields[f"guidance_{key}"] = _area(f"{label}: guidance")
        self.fields[f"guidance_{key}"].initial = guidance

    def questions(self) -> list[QuestionInput]:
        data = self.cleaned_data
        kept = [
            QuestionInput(data[f"theme_{i}"], data[f"text_{i}"], data[f"guidance_{i}"])
            for i in self.question_ids
            if not data.get(f"remove_{i}")
        ]
        if data.get("text_new", "").strip():
            kept.append(QuestionInput(data["theme_new"], data["text_new"], data["guidance_new"]))
        return kept


# --- Rounds ---------------------------------------------------------------------------------


class RoundForm(GovukForm):
    title = forms.CharField(
        label="Title",
        error_messages={"required": "Enter a title for the round"},
        help_text="For example, Neglect audit, March 2026",
    )
    tool = forms.ModelChoiceField(
        label="Audit tool",
        queryset=AuditTool.objects.none(),
        empty_label="Select",
        error_messages={"required": "Select the audit tool"},
    )
    sample_kind = forms.ChoiceField(
        label="How to choose the children",
        choices=SampleKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to sample"},
    )
    size = forms.IntegerField(
        label="How many children",
        help_text="From each team for a random sample per team; in all otherwise",
        min_value=1,
        error_messages={
            "required": "Enter how many children to sample",
            "invalid": "Enter the number of children as a whole number, like 5",
            "min_value": "The number of children must be 1 or more",
        },
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams (optional)",
        help_text="Leave empty for every team",
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(
        label="Stage of the child's journey (for a sample by stage)",
        choices=[("", "Select"), *Stage.choices],
        required=False,
    )
    theme = forms.ChoiceField(
        label="Theme (for a sample by theme)",
        choices=[("", "Select"), *SampleTheme.choices],
        required=False,
    )
    as_at = _date("Sample date", "Enter the date the sample is drawn as at")
    deadline = _date("Deadline", "Enter the deadline")
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="Leave empty to draw a new sample; the seed used is recorded with the round",
        required=False,
        min_value=0,
        error_messages={
            "invalid": "Enter the seed as a whole number, like 4821",
            "min_value": "The seed must be a whole number from 0",
        },
    )
    auditors = UserChoices(
        label="Auditors",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one auditor"},
    )
    moderators = UserChoices(
        label="Moderators",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one moderator"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tools = current_tools()
        fields: dict[str, Any] = self.fields
        fields["tool"].queryset = AuditTool.objects.filter(pk__in=[t.pk for t in tools])
        if len(tools) == 1:
            fields["tool"].initial = tools[0].pk
        fields["auditors"].queryset = holders_of(Permission.AUDIT_CASE).select_related("team")
        fields["moderators"].queryset = holders_of(Permission.AUDIT_MODERATE).select_related("team")


# --- Audits ---------------------------------------------------------------------------------


class AnswersForm(GovukForm):
    """A grade and an answer for each question of the audit's tool version, and the overall
    grade."""

    def __init__(self, *args: Any, audit: CaseAudit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = {a.question_id: a for a in audit.answers.all()}
        self.questions = list(audit.tool.questions.all())
        for q in self.questions:
            answer = answers.get(q.pk)
            self.fields[f"grade_{q.pk}"] = forms.ChoiceField(
                label=f"{q.order}. {q.text}",
                help_text=q.guidance,
                choices=GRADE_CHOICES,
                required=False,
                initial=answer.grade if answer else "",
            )
            self.fields[f"answer_{q.pk}"] = _area(f"Evidence for question {q.order}")
            self.fields[f"answer_{q.pk}"].initial = answer.answer if answer else ""
        self.fields["overall_grade"] = forms.ChoiceField(
            label="Overall grade",
            choices=GRADE_CHOICES,
            required=False,
            initial=audit.overall_grade,
        )
        self.fields["summary"] = _area("Summary: what made the difference to the child")
        self.fields["summary"].initial = audit.summary

    def answers(self) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        return {
            q.pk: AnswerInput(data[f"grade_{q.pk}"], data[f"answer_{q.pk}"]) for q in self.questions
        }


class ReflectionForm(GovukForm):
    reflection = _area(
        "Your reflection",
        required=True,
        message="Enter your reflection",
        help_text="What you take from the audit, and what you will do differently",
    )


class ModerationForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you agree with the auditor's grade?",
        choices=ModerationDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose agree or change"},
    )
    grade = forms.ChoiceField(
        label="Moderated grade (if you change it)",
        choices=[("", "Select"), *Grade.choices],
        required=False,
    )
    reason = _area("Reason", help_text="Required when you change the grade")


class PartnerAnswerForm(GovukForm):
    partner_name = forms.CharField(
        label="Partner auditor's name",
        error_messages={"required": "Enter the partner auditor's name"},
    )
    agency = forms.CharField(
        label="Agency",
        help_text="For example, health visiting, police, school",
        error_messages={"required": "Enter the partner's agency"},
    )
    question = forms.ModelChoiceField(
        label="Question (optional)",
        queryset=ToolQuestion.objects.none(),
        required=False,
        empty_label="About the audit as a whole",
    )
    grade = forms.ChoiceField(label="Grade (optional)", choices=GRADE_CHOICES, required=False)
    answer = _area("Their answer", required=True, message="Enter the partner's answer")

    def __init__(self, *args: Any, audit: CaseAudit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        field.queryset = audit.tool.questions.all()  # type: ignore[attr-defined]
        field.label_from_instance = lambda q: f"{q.order}. {q.text[:80]}"  # type: ignore[attr-defined]


class ActionForm(GovukForm):
    owner = PersonChoice(
        label="Who",
        queryset=User.objects.none(),
        empty_label="Select",
        error_messages={"required": "Choose who will do the action"},
    )
    action = _area("What must be done", required=True, message="Enter what must be done")
    by_when = _date(
        "By when (optional)",
        "Enter the date",
        required=False,
        help_text="Leave empty for the local standard's time from today. For example, 27 3 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = holders_of(Permission.AUDIT_ACTION_UPDATE)  # type: ignore[attr-defined]


class ActionDoneForm(GovukForm):
    done_on = _date("Date done", "Enter the date it was done")
    note = _area("What was done (optional)")


# --- IRO challenge --------------------------------------------------------------------------


class ChallengeForm(GovukForm):
    stage = forms.ChoiceField(
        label="Stage",
        choices=ChallengeStage.choices,
        widget=forms.RadioSelect,
        initial=ChallengeStage.INFORMAL,
        error_messages={"required": "Choose the stage"},
    )
    started_on = _date("Date raised", "Enter the date the challenge was raised")
    addressed_to = forms.CharField(
        label="Raised with",
        help_text="Their name and role, for example Tess Manning, team manager",
        error_messages={"required": "Enter who the challenge is raised with"},
    )
    concern = _area("The concern", required=True, message="Enter the concern the IRO raised")


class EscalateForm(GovukForm):
    stage = forms.ChoiceField(
        label="Escalate to",
        choices=ChallengeStage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the stage"},
    )
    started_on = _date("Date escalated", "Enter the date the challenge was raised")
    addressed_to = forms.CharField(
        label="Raised with",
        help_text="Their name and role",
        error_messages={"required": "Enter who the challenge is raised with"},
    )
    note = _area("Why it is escalated (optional)")


class ResolveForm(GovukForm):
    resolved_on = _date("Date resolved", "Enter the date it was resolved")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ChallengeOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    resolution = _area(
        "How it was resolved", required=True, message="Say how the challenge was resolved"
    )
