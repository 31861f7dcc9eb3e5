"""Forms for child protection. Business rules live in the actions."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone

from caseline.apps.accounts.forms import CaseHolderField
from caseline.apps.accounts.models import Team, User
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukForm, VersionField
from caseline.apps.plans.forms import (
    YES_NO,
    IdentityFormMixin,
    date_field,
    identity_field,
    radios,
    text_field,
)
from caseline.apps.plans.identity import FIELD, IDENTITY_HINT, REVIEW_IDENTITY_HINT
from caseline.apps.protection.actions import AGENCY_PHRASES, AgencyParticipation, agency_field
from caseline.apps.protection.models import (
    Agency,
    Conference,
    Participation,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)

YES_NO_UNKNOWN = [*YES_NO, ("unknown", "Not known")]
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _style_added_fields(form: Any) -> None:
    """Give fields added after ``GovukFormMixin.__init__`` their GOV.UK classes too."""
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", form._input_class(field.widget))


def _category_choices() -> list[tuple[str, str]]:
    return [("", "Select a category"), *code_list(CodeListName.CP_CATEGORY).choices()]


class AgencyFieldsMixin:
    """A select and a name box for each agency: how it took part, and who."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    participation_prefix = "participation_"
    name_prefix = "name_"

    def add_agency_fields(self, verb: str) -> None:
        choices = [("", "Select"), *Participation.choices]
        for agency in Agency:
            phrase = AGENCY_PHRASES[agency]
            self.fields[agency_field(self.participation_prefix, agency.value)] = forms.ChoiceField(
                label=f"How {phrase} {verb}".replace("  ", " "),
                choices=choices,
                error_messages={"required": f"Select how {phrase} took part"},
            )
            self.fields[agency_field(self.name_prefix, agency.value)] = forms.CharField(
                label=f"Name and role for {phrase} (optional)",
                max_length=200,
                required=False,
            )

    def agency_participation(self) -> AgencyParticipation:
        return {
            agency.value: (
                self.cleaned_data.get(agency_field(self.participation_prefix, agency.value), ""),
                self.cleaned_data.get(agency_field(self.name_prefix, agency.value), ""),
            )
            for agency in Agency
        }


class StrategyForm(AgencyFieldsMixin, GovukForm):
    kind = radios(
        "Was this a discussion or a meeting?",
        StrategyDiscussion.Kind.choices,
        "Select whether this was a discussion or a meeting",
    )
    held_on = date_field(
        "Date of the strategy discussion", "Enter the date of the strategy discussion"
    )
    held_time = forms.CharField(
        label="Time",
        help_text="Use the 24-hour clock, for example 14:30",
        max_length=5,
        error_messages={"required": "Enter the time of the strategy discussion"},
    )
    field_order = ["kind", "held_on", "held_time"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_agency_fields("took part")
        self.fields["information_shared"] = text_field(
            "Information shared", "Enter the information shared", rows=6
        )
        self.fields["decision"] = text_field("Decision", "Enter the decision", rows=3)
        self.fields["rationale"] = text_field(
            "Reasons for the decision", "Enter the reasons for the decision", rows=4
        )
        self.fields["s47_decision"] = radios(
            "Does a section 47 enquiry start?",
            StrategyDiscussion.S47Decision.choices,
            "Select whether a section 47 enquiry starts",
        )
        _style_added_fields(self)

    def clean_held_time(self) -> str:
        value = str(self.cleaned_data["held_time"]).strip()
        if not _TIME.match(value):
            raise forms.ValidationError("Enter the time like 14:30")
        return value

    def held_at(self) -> datetime.datetime:
        hours, minutes = _TIME.split(self.cleaned_data["held_time"])[1:3]
        day: datetime.date = self.cleaned_data["held_on"]
        return datetime.datetime.combine(
            day, datetime.time(int(hours), int(minutes)), tzinfo=timezone.get_current_timezone()
        )


class EnquiryOutcomeForm(GovukForm):
    outcome = radios(
        "Outcome of the section 47 enquiry",
        Section47Enquiry.Outcome.choices,
        "Select the outcome of the enquiry",
    )
    completed_on = date_field(
        "Date the enquiry was completed", "Enter the date the enquiry finished"
    )
    outcome_note = text_field("Reasons for the outcome", "Enter the reasons for the outcome")


class IcpcNotRequiredForm(GovukForm):
    decided_on = date_field(
        "Date it was decided a conference is not required", "Enter the date of the decision"
    )
    reason = text_field(
        "Why is a conference not required?",
        "Enter why a conference is not required",
        help_text=(
            "For example, new information showed the child is not at continuing risk of "
            "significant harm. Say who made the decision."
        ),
    )


class HistoryForm(GovukForm):
    plans_before_caseline = forms.IntegerField(
        label="How many child protection plans did the child have before Caseline?",
        help_text=(
            "Plans, or times on the child protection register, this council knows of from "
            "before the child's record came into Caseline. Enter 0 if there were none."
        ),
        min_value=0,
        error_messages={
            "required": "Enter how many child protection plans the child had before Caseline",
            "invalid": "Enter a whole number, for example 2",
            "min_value": "Enter a number from 0 upwards",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    source_note = text_field(
        "Where does the number come from?",
        "Enter where the number comes from",
        help_text="For example, the previous case management system or the register",
        rows=3,
    )


class PoliceDecisionForm(GovukForm):
    decided_on = date_field("Date of the decision", "Enter the date of the police decision")
    decision = text_field(
        "Police decision and the reasons for it",
        "Enter the police decision",
        help_text="For example: joint visit, arrest, no crime, achieving best evidence interview",
    )
    officer = forms.CharField(label="Police officer (optional)", max_length=200, required=False)
    abe_interview = radios(
        "Is an achieving best evidence interview planned?",
        YES_NO,
        "Select whether an achieving best evidence interview is planned",
    )
    abe_interview_on = date_field(
        "Date of the interview (optional)", "Enter the date of the interview", required=False
    )


class TransferInForm(GovukForm):
    notified_on = date_field(
        "Date we were told the child had moved here",
        "Enter the date we were told the child had moved here",
    )
    from_authority = forms.CharField(
        label="Local authority the child moved from",
        help_text="Where the child is subject to a child protection plan",
        max_length=100,
        error_messages={"required": "Enter the local authority the child moved from"},
    )
    notes = forms.CharField(
        label="What we were told (optional)",
        help_text="For example the plan's category and when it started, and who told us",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def lead_field(
    team: Team | None, lead: User | None, *, help_text: str, required: bool = True
) -> CaseHolderField:
    """The plan's lead social worker, among those who can hold cases (``CaseHolderField``):
    ``team``'s (the child's) first, ``lead`` (the lead now) chosen."""
    return CaseHolderField(
        team=team,
        label="Lead social worker",
        help_text=help_text,
        required=required,
        empty_label="Select a social worker",
        initial=lead.pk if lead is not None else None,
        error_messages={"required": "Select the lead social worker"},
    )


def _last(form: Any, name: str) -> None:
    """Move the field ``name`` to the end of the form (after fields added later)."""
    form.fields[name] = form.fields.pop(name)


class ConferenceFormBase(IdentityFormMixin, AgencyFieldsMixin, GovukForm):
    participation_prefix = "attendance_"
    name_prefix = "attendee_"

    def add_common_fields(self) -> None:
        self.add_agency_fields("took part")
        self.fields["health_knows_child"] = radios(
            "Does the health attendee know the child?",
            YES_NO_UNKNOWN,
            "Select whether the health attendee knows the child",
        )
        self.fields["reports_shared"] = radios(
            "Were reports shared with the parents before the conference?",
            Conference.ReportsShared.choices,
            "Select whether reports were shared with the parents",
        )
        self.fields["child_participation"] = text_field(
            "How the child took part",
            "Enter how the child took part",
            help_text="For example attended, met the chair before, sent a drawing or advocate",
            rows=3,
        )
        self.fields["family_participation"] = text_field(
            "How the family took part", "Enter how the family took part", rows=3
        )


class InitialConferenceForm(ConferenceFormBase):
    """An initial or transfer-in conference: the lead social worker is chosen among those
    who can hold cases, ``team``'s (the child's) first, ``lead`` chosen (:func:`lead_field`)."""

    conference_date = date_field("Date of the conference", "Enter the date of the conference")
    identity_needs = identity_field(
        required=False, help_text=f"Needed if the child needs a plan. {IDENTITY_HINT}"
    )

    def __init__(self, *args: Any, team: Team | None, lead: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_common_fields()
        self.fields["decision"] = radios(
            "Decision",
            [
                (Conference.Decision.PLAN.value, Conference.Decision.PLAN.label),
                (Conference.Decision.NO_PLAN.value, Conference.Decision.NO_PLAN.label),
            ],
            "Select whether the child needs a child protection plan",
        )
        self.fields["rationale"] = text_field(
            "Reasons for the decision", "Enter the reasons for the decision"
        )
        self.fields["category"] = forms.ChoiceField(
            label="Category of abuse",
            help_text="Needed if the child needs a plan",
            choices=_category_choices(),
            required=False,
        )
        self.fields["lead_social_worker"] = lead_field(
            team,
            lead,
            required=False,
            help_text=(
                "Needed if the child needs a plan. The child's team first, with the number "
                "of children each has now"
            ),
        )
        self.fields["outline_plan"] = forms.CharField(
            label="Outline plan",
            help_text="Needed if the child needs a plan: what must change and who will help",
            widget=forms.Textarea(attrs={"rows": 5}),
            required=False,
        )
        _last(self, FIELD)
        _style_added_fields(self)


class ReviewConferenceForm(ConferenceFormBase):
    conference_date = date_field(
        "Date of the review conference", "Enter the date of the conference"
    )
    identity_needs = identity_field(help_text=REVIEW_IDENTITY_HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_common_fields()
        self.fields["progress"] = radios(
            "Progress against the plan",
            Conference.Progress.choices,
            "Select how much progress has been made",
        )
        self.fields["decision"] = radios(
            "Decision",
            [
                (Conference.Decision.CONTINUE.value, Conference.Decision.CONTINUE.label),
                (Conference.Decision.END.value, Conference.Decision.END.label),
            ],
            "Select whether the plan continues or ends",
        )
        self.fields["rationale"] = text_field(
            "Reasons for the decision", "Enter the reasons for the decision"
        )
        self.fields["category"] = forms.ChoiceField(
            label="Category of abuse from now on",
            help_text="Needed if the plan continues. Change it if the main worry has changed",
            choices=_category_choices(),
            required=False,
        )
        _last(self, FIELD)
        _style_added_fields(self)


class PlanForm(IdentityFormMixin, GovukForm):
    """The plan's own words and settings; its lead social worker is chosen among those who
    can hold cases, ``team``'s (the child's) first, ``lead`` chosen (:func:`lead_field`)."""

    worries = text_field(
        "What we are worried about",
        "Enter what we are worried about",
        help_text="In words the family would use. This goes into the plan the family reads",
    )
    contingency = text_field(
        "Contingency plan",
        "Enter the contingency plan",
        help_text="What we will do if things do not get better",
    )
    child_views = text_field("The child's views", "Enter the child's views")
    identity_needs = identity_field()
    core_group_every_weeks = forms.IntegerField(
        label="Core group every (weeks, optional)",
        help_text="Leave blank for the local standard",
        required=False,
        min_value=1,
        max_value=12,
        error_messages={"invalid": "Enter a whole number of weeks, like 4"},
    )
    visit_every_working_days = forms.IntegerField(
        label="Visit every (working days, optional)",
        help_text="Leave blank for the local standard",
        required=False,
        min_value=1,
        max_value=40,
        error_messages={"invalid": "Enter a whole number of working days, like 10"},
    )
    version = VersionField()
    field_order = ["worries", "contingency", "child_views", FIELD, "lead_social_worker"]

    def __init__(self, *args: Any, team: Team | None, lead: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_social_worker"] = lead_field(
            team, lead, help_text="The child's team first, with the number of children each has now"
        )
        self.order_fields(self.field_order)
        _style_added_fields(self)


class CoreGroupForm(GovukForm):
    meeting_date = date_field("Date of the meeting", "Enter the date of the meeting")
    attendees = text_field("Who came", "Enter who came", rows=3)
    progress = radios(
        "Progress against the plan",
        Conference.Progress.choices,
        "Select how much progress has been made",
    )
    progress_note = text_field("Progress against the plan", "Enter the progress against the plan")
    plan_changes = forms.CharField(
        label="Changes to the plan (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].label = "How much progress has been made?"


class VisitForm(GovukForm):
    visit_date = date_field("Date of the visit", "Enter the date of the visit")
    child_seen = radios("Was the child seen?", YES_NO, "Select whether the child was seen")
    child_seen_alone = radios(
        "Was the child seen alone?", YES_NO, "Select whether the child was seen alone"
    )
    observations = text_field("What was observed", "Enter what was observed")


class EndPlanForm(GovukForm):
    end_date = date_field("Date the plan ended", "Enter the date the plan ended")
    end_reason = radios(
        "Why is the plan ending?",
        [c for c in ProtectionPlan.EndReason.choices if c[0] != ProtectionPlan.EndReason.REVIEW],
        "Select why the plan is ending",
    )
    end_note = text_field(
        "More about why the plan is ending", "Enter more about why the plan is ending"
    )


class PeriodForm(GovukForm):
    start = date_field("From", "Enter the first date")
    end = date_field("To", "Enter the last date")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The last date must be on or after the first date")
        return cleaned
