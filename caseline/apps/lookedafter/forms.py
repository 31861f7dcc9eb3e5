"""Forms for care and leaving care. Fields check shape; actions check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateField, GovukForm
from caseline.apps.lookedafter.actions import PlacementDetails
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    CarePlan,
    Episode,
    HealthRecord,
    PathwayPlan,
    PersonalEducationPlan,
)
from caseline.apps.lookedafter.queries import iros

YES_NO = [("yes", "Yes"), ("no", "No")]
RECORDING = "Select what you are recording"


def _to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def yes_no(
    label: str, *, required: bool = True, message: str = "", help_text: str = ""
) -> forms.TypedChoiceField:
    """A Yes/No radio question; not required means it may be left unanswered (None)."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=_to_bool,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message or f"Select yes or no: {label.lower()}"},
    )


def code_choices(
    name: CodeListName, *, blank: str = "", exclude: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Every code in the list; retired ones are marked so a past date can still use them."""
    choices = [("", blank)] if blank else [("", "Select")]
    for code in code_list(name):
        if code.code in exclude:
            continue
        retired = "" if code.is_valid_in(None) else " (no longer used)"
        choices.append((code.code, f"{code.code} - {code.label}{retired}"))
    return choices


def radios(
    label: str, choices: Any, message: str, *, help_text: str = "", initial: Any = None
) -> forms.ChoiceField:
    """A required choice shown as GOV.UK radios."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        initial=initial,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message},
    )


def date_field(
    label: str, message: str, help_text: str = "For example, 27 3 2025", required: bool = True
) -> GovukDateField:
    return GovukDateField(
        label=label, help_text=help_text, required=required, error_messages={"required": message}
    )


def text(
    label: str,
    message: str = "",
    *,
    required: bool = True,
    help_text: str = "",
    max_length: int | None = None,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


def notes_field() -> forms.CharField:
    return forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


def area(label: str, message: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": message},
    )


class PlacementFieldsMixin(forms.Form):
    """The placement questions shared by starting care and changing placement."""

    placement_type = forms.ChoiceField(
        label="Placement type",
        choices=(),
        help_text="The 903 code. The list in use depends on the collection year of the date.",
        error_messages={"required": "Select the placement type"},
    )
    placement_provider = forms.ChoiceField(
        label="Placement provider",
        choices=(),
        required=False,
        help_text="Not needed for temporary (T) placements",
    )
    carer_name = text("Carer or provider", required=False, max_length=200)
    ofsted_urn = text("Ofsted URN", required=False, max_length=8, help_text="For example, SC123456")
    placement_postcode = text("Placement postcode", required=False, max_length=10)
    distance_from_home = forms.DecimalField(
        label="Distance from home in miles",
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text="From the home the child was living in when they came into care",
        error_messages={"invalid": "Distance from home must be a number, like 4.5"},
    )
    area = radios(
        "Is the placement inside the local authority's area?",
        [(Episode.Area.IN, "Inside the area"), (Episode.Area.OUT, "Outside the area")],
        "Select whether the placement is inside the area",
    )
    arrangement = radios(
        "Is the child placed in one of these ways?",
        Episode.Arrangement.choices,
        "Select how the child is placed",
        initial=Episode.Arrangement.STANDARD,
        help_text="These change how often the child must be visited (regulation 28)",
    )
    intended_until_18 = yes_no(
        "Is the placement intended to last until the child is 18?",
        message="Select yes if the placement is intended to last until the child is 18",
    )
    parent_placement_approver = text(
        "Senior manager who approved placement with parents",
        required=False,
        max_length=200,
        help_text="Only for placement with parents (P1)",
    )
    parent_placement_approved_on = date_field(
        "Date placement with parents was approved", "", required=False
    )
    parent_placement_rationale = forms.CharField(
        label="Why placement with parents was approved",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["placement_type"].choices = code_choices(CodeListName.PLACEMENT_TYPE)  # type: ignore[attr-defined]
        self.fields["placement_provider"].choices = code_choices(  # type: ignore[attr-defined]
            CodeListName.PLACEMENT_PROVIDER, blank="Not needed"
        )

    def placement(self) -> PlacementDetails:
        data = self.cleaned_data
        distance: Decimal | None = data.get("distance_from_home")
        return PlacementDetails(
            placement_type=data["placement_type"],
            placement_provider=data.get("placement_provider") or "",
            placement_postcode=data.get("placement_postcode") or "",
            carer_name=data.get("carer_name") or "",
            ofsted_urn=data.get("ofsted_urn") or "",
            distance_from_home=distance,
            area=data["area"],
            arrangement=data["arrangement"],
            intended_until_18=bool(data["intended_until_18"]),
            parent_placement_approver=data.get("parent_placement_approver") or "",
            parent_placement_approved_on=data.get("parent_placement_approved_on"),
            parent_placement_rationale=data.get("parent_placement_rationale") or "",
        )


def legal_status_field(required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Legal status",
        choices=code_choices(CodeListName.LEGAL_STATUS, blank="" if required else "No change"),
        required=required,
        error_messages={"required": "Select the legal status"},
    )


class StartCareForm(GovukForm, PlacementFieldsMixin):
    start_date = date_field(
        "Date the child became looked after", "Enter the date the child became looked after"
    )
    legal_status = legal_status_field()
    field_order = ["start_date", "legal_status"]


class LegalStatusForm(GovukForm):
    change_date = date_field("Date of the change", "Enter the date the legal status changed")
    legal_status = legal_status_field()


class PlacementForm(GovukForm, PlacementFieldsMixin):
    change_date = date_field("Date of the move", "Enter the date the child moved")
    same_carer = yes_no(
        "Is the child staying with the same carer?",
        message="Select yes if the child is staying with the same carer",
        help_text="For example, the carers have moved house",
    )
    reason_place_change = forms.ChoiceField(
        label="Reason for the placement change",
        choices=(),
        required=False,
        help_text="Not needed for a temporary (T) placement",
    )
    legal_status = legal_status_field(required=False)
    field_order = ["change_date", "same_carer", "reason_place_change"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_place_change"].choices = code_choices(  # type: ignore[attr-defined]
            CodeListName.REASON_PLACEMENT_CHANGE
        )
        self.fields["legal_status"].label = "New legal status, if it changes at the same time"


class EndCareForm(GovukForm):
    end_date = date_field("Date the child stopped being looked after", "Enter the date care ended")
    reason_episode_ceased = forms.ChoiceField(
        label="Why care ended",
        choices=code_choices(CodeListName.REASON_EPISODE_CEASED, exclude=(NEW_EPISODE_FOLLOWS,)),
        error_messages={"required": "Select why care ended"},
    )


class IROForm(GovukForm):
    iro = forms.ModelChoiceField(
        label="Independent reviewing officer",
        queryset=iros(),
        empty_label="Select",
        error_messages={"required": "Select the independent reviewing officer"},
    )
    start_date = date_field("Date allocated", "Enter the date the IRO was allocated")


class CarePlanForm(GovukForm):
    plan_date = date_field("Date of the care plan", "Enter the date of the care plan")
    permanence_plan = radios(
        "Permanence plan", CarePlan.Permanence.choices, "Select the permanence plan"
    )
    plan_summary = area("What the plan is and why", "Enter what the plan is and why")
    placement_plan = area(
        "Placement plan",
        "Enter the placement plan",
        "How the placement will meet the child's needs",
    )
    child_views = area("The child's views on the plan", "Enter the child's views on the plan")


class ReviewForm(GovukForm):
    review_date = date_field("Date of the review", "Enter the date of the review")
    participation = forms.ChoiceField(
        label="How the child took part",
        choices=code_choices(CodeListName.REVIEW_PARTICIPATION),
        error_messages={"required": "Select how the child took part"},
    )
    child_views = area(
        "The child's views",
        "Enter the child's views, and how they were given",
        "What the child said, and how (in person, through an advocate, in writing)",
    )


class RecommendationForm(GovukForm):
    what = area("What needs to happen", "Enter what needs to happen")
    who = text("Who will do it", "Enter who will do it", max_length=200)
    by_when = date_field("By when", "Enter the date it must be done by")
    how_we_will_know = area(
        "How we will know it has happened", "Enter how we will know it has happened"
    )


class MinutesForm(GovukForm):
    completed_on = date_field(
        "Date the minutes were completed", "Enter the date the minutes were completed"
    )


class VisitForm(GovukForm):
    visit_date = date_field("Date of the visit", "Enter the date of the visit")
    child_seen = yes_no("Was the child seen?", message="Select yes if the child was seen")
    seen_alone = yes_no(
        "Was the child seen alone?", message="Select yes if the child was seen alone"
    )
    note = area("What happened on the visit", "Enter what happened on the visit")


class HealthForm(GovukForm):
    kind = radios("What are you recording?", HealthRecord.Kind.choices, RECORDING)
    event_date = date_field("Date", "Enter the date")
    immunisations_up_to_date = yes_no(
        "Are immunisations up to date?", required=False, help_text="For an immunisations check"
    )
    sdq_score = forms.IntegerField(
        label="SDQ score",
        required=False,
        help_text="From 0 to 40, for a strengths and difficulties questionnaire",
        error_messages={"invalid": "The SDQ score must be a whole number, like 12"},
    )
    substance_misuse = yes_no("Was substance misuse identified?", required=False)
    health_plan = forms.CharField(
        label="Health plan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed for a health assessment",
    )
    notes = notes_field()


class PEPForm(GovukForm):
    pep_date = date_field("Date of the PEP meeting", "Enter the date of the PEP meeting")
    school = text("School or setting", "Enter the school or setting", max_length=200)
    virtual_school_contact = text(
        "Virtual school contact", "Enter the virtual school contact", max_length=200
    )
    quality = radios(
        "Quality of the PEP",
        PersonalEducationPlan.Quality.choices,
        "Select the quality of the PEP",
        help_text="As judged by the virtual school",
    )
    attainment = area("Attainment and progress", "Enter attainment and progress")
    child_views = area("The child's views on their education", "Enter the child's views")


class MissingReturnForm(GovukForm):
    end_date = date_field(
        "Date the child returned", "", required=False, help_text="Leave blank if still missing"
    )
    return_interview_offered = yes_no("Was a return interview offered?", required=False)
    return_interview_accepted = yes_no("Was the return interview accepted?", required=False)


class MissingForm(MissingReturnForm):
    """The episode, and its return if the child is back already."""

    missing_type = radios(
        "Type of episode",
        [(c.code, c.label) for c in code_list(CodeListName.MISSING_TYPE)],
        "Select missing or away from placement",
    )
    start_date = date_field("Date the episode began", "Enter the date the episode began")
    notes = notes_field()
    field_order = ["missing_type", "start_date", *MissingReturnForm.base_fields, "notes"]


class AdviserForm(GovukForm):
    name = text("Personal adviser's name", "Enter the personal adviser's name", max_length=200)
    start_date = date_field("Date allocated", "Enter the date the adviser was allocated")


class PathwayPlanForm(GovukForm):
    kind = radios("What are you recording?", PathwayPlan.Kind.choices, RECORDING)
    plan_date = date_field("Date", "Enter the date")
    summary = area("The assessment or plan", "Enter the plan or assessment")
    young_person_views = area("The young person's views", "Enter the young person's views")


class CareLeaverContactForm(GovukForm):
    contact_date = date_field("Date of contact", "Enter the date of contact")
    in_touch = radios(
        "Is the local authority in touch with the young person?",
        [(c.code, c.label) for c in code_list(CodeListName.CARE_LEAVER_IN_TOUCH)],
        "Select whether in touch",
    )
    accommodation = forms.ChoiceField(
        label="Accommodation",
        choices=code_choices(CodeListName.CARE_LEAVER_ACCOMMODATION, blank="Not known"),
        required=False,
        help_text="Needed if in touch",
    )
    accommodation_suitable = yes_no("Is the accommodation suitable?", required=False)
    activity = forms.ChoiceField(
        label="Main activity",
        choices=code_choices(CodeListName.CARE_LEAVER_ACTIVITY, blank="Not known"),
        required=False,
        help_text="Needed if in touch",
    )
    staying_put = forms.BooleanField(label="Staying put with former foster carers", required=False)
    notes = notes_field()


class PenPictureForm(GovukForm):
    who_they_are = area("Who they are", "Enter who the child is")
    what_matters = area("What matters to them", "Enter what matters to the child")
    story_so_far = area("Their story so far", "Enter the child's story so far")
    big_decisions = area(
        "Why the big decisions were made",
        "Enter why the big decisions were made",
        "Coming into care, moves, permanence: what was decided, when, and why",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UASCForm(GovukForm):
    arrived_on = date_field("Date the child arrived in the UK", "", required=False)
    national_transfer_scheme = forms.BooleanField(
        label="Transferred under the National Transfer Scheme", required=False
    )
    age_assessment_on = date_field("Date of the age assessment", "", required=False)
    age_assessment_outcome = forms.CharField(
        label="Outcome of the age assessment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    ceased_on = date_field(
        "Date the child stopped being UASC",
        "",
        required=False,
        help_text="Usually the 18th birthday. For example, 27 3 2025",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
