"""Forms for care and leaving care. Fields check shape; actions check the rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField
from caseline.apps.lookedafter.actions import Attendee, PlacementDetails, Progress, ReviewContent
from caseline.apps.lookedafter.actions.reviews import NAME_LIMIT, progress_field
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    CarePlan,
    Episode,
    HealthRecord,
    PathwayPlan,
    PersonalEducationPlan,
    PlacementProvider,
    RecommendationProgress,
    ReviewAttendee,
    ReviewRecommendation,
)
from caseline.apps.lookedafter.queries import Invitee, iros, providers_to_choose
from caseline.apps.plans.forms import IdentityFormMixin, identity_field
from caseline.apps.plans.identity import FIELD, IDENTITY_HINT, REVIEW_IDENTITY_HINT
from caseline.apps.privatefostering.forms import told_about_field
from caseline.apps.timescales.rules import format_date

YES_NO = [("yes", "Yes"), ("no", "No")]
RECORDING = "Select what you are recording"


def _to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _yes_no_value(value: bool | None) -> str:
    """A yes/no question's answer as its form value."""
    return "" if value is None else ("yes" if value else "no")


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


class ProviderChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A provider from the register, shown with its postcode and URN."""

    def label_from_instance(self, obj: Any) -> str:
        where = f", {obj.postcode}" if obj.postcode else ""
        urn = f" (Ofsted URN {obj.ofsted_urn})" if obj.ofsted_urn else ""
        return f"{obj.name}{where}{urn}"


class PlacementFieldsMixin(forms.Form):
    """The placement questions shared by starting care and changing placement."""

    placement_type = forms.ChoiceField(
        label="Placement type",
        choices=(),
        help_text="The 903 code. The list in use depends on the collection year of the date.",
        error_messages={"required": "Select the placement type"},
    )
    provider = ProviderChoiceField(
        label="Provider from the register",
        queryset=PlacementProvider.objects.none(),
        required=False,
        empty_label="None: placed with parents, or a temporary placement",
        help_text=(
            "The children's home, fostering service or agency, adoption agency, school or "
            "other provider. Its provider type and Ofsted URN come from the register."
        ),
    )
    placement_provider = forms.ChoiceField(
        label="Provider type, if the provider is not in the register",
        choices=(),
        required=False,
        help_text="PR0 for a child placed with parents. Not needed for temporary (T) placements",
    )
    carer_name = text(
        "Carer",
        required=False,
        max_length=200,
        help_text="The foster carers or adopters, or the name the child knows the home by",
    )
    placement_postcode = text(
        "Placement postcode",
        required=False,
        max_length=10,
        help_text=(
            "Where the child lives: the carers' home for a foster or adoptive placement. For a "
            "children's home, residential school or other placement at the provider's "
            "premises, the register's postcode is used."
        ),
    )
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

    def __init__(self, *args: Any, episode: Episode | None = None, **kwargs: Any) -> None:
        """``episode``, when correcting one: its provider stays on offer though no longer in
        use, and a URN typed before the register is kept unless a provider is chosen."""
        super().__init__(*args, **kwargs)
        self.fields["placement_type"].choices = code_choices(CodeListName.PLACEMENT_TYPE)  # type: ignore[attr-defined]
        self.fields["placement_provider"].choices = code_choices(  # type: ignore[attr-defined]
            CodeListName.PLACEMENT_PROVIDER, blank="From the register, or not needed"
        )
        self.fields["provider"].queryset = providers_to_choose(  # type: ignore[attr-defined]
            episode.provider_id if episode is not None else None
        )
        self.typed_urn = (
            episode.ofsted_urn if episode is not None and not episode.provider_id else ""
        )

    def placement(self) -> PlacementDetails:
        data = self.cleaned_data
        distance: Decimal | None = data.get("distance_from_home")
        provider: PlacementProvider | None = data.get("provider")
        return PlacementDetails(
            placement_type=data["placement_type"],
            provider=provider,
            placement_provider="" if provider else data.get("placement_provider") or "",
            placement_postcode=data.get("placement_postcode") or "",
            carer_name=data.get("carer_name") or "",
            ofsted_urn="" if provider else self.typed_urn,
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


class EpisodeCorrectionForm(GovukForm, PlacementFieldsMixin):
    """What can be corrected in an episode. The reason the child moved on is asked only of an
    episode that ended with a move, and why care ended only of one that ended care."""

    start_date = date_field("Start date", "Enter the start date")
    legal_status = legal_status_field()
    reason_place_change = forms.ChoiceField(
        label="Reason for the placement change when it ended",
        choices=(),
        required=False,
        help_text="Not needed for a move to a temporary (T) placement",
    )
    reason_episode_ceased = forms.ChoiceField(
        label="Why care ended",
        choices=code_choices(CodeListName.REASON_EPISODE_CEASED, exclude=(NEW_EPISODE_FOLLOWS,)),
        error_messages={"required": "Select why care ended"},
    )
    reason = area(
        "Why you are correcting it",
        "Enter why you are correcting the episode",
        "For example, the start date was typed as 2024, not 2025",
    )
    field_order = ["start_date", "legal_status"]

    def __init__(
        self, *args: Any, ended_by_move: bool = False, ended_care: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if ended_by_move:
            self.fields["reason_place_change"].choices = code_choices(  # type: ignore[attr-defined]
                CodeListName.REASON_PLACEMENT_CHANGE
            )
        else:
            del self.fields["reason_place_change"]
        if not ended_care:
            del self.fields["reason_episode_ceased"]


class IROForm(GovukForm):
    iro = forms.ModelChoiceField(
        label="Independent reviewing officer",
        queryset=iros(),
        empty_label="Select",
        error_messages={"required": "Select the independent reviewing officer"},
    )
    start_date = date_field("Date allocated", "Enter the date the IRO was allocated")


class CarePlanForm(IdentityFormMixin, GovukForm):
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
    identity_needs = identity_field()


def optional_area(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


@dataclass(frozen=True)
class Group:
    """Fields shown together under a legend (one person, one earlier recommendation)."""

    legend: str
    fields: list[forms.BoundField]


@dataclass(frozen=True)
class Section:
    """A part of a long form, under its own heading."""

    heading: str
    groups: list[Group]
    hint: str = ""


TOLD_ABOUT_HINT = (
    "Tick each one explained to the child, so that their record shows it. Select all that apply."
)

# Blank rows the review form offers for people not yet listed; saving gives two more.
SPARE_ROWS = 2
MOST_ROWS = 40


class ReviewForm(IdentityFormMixin, GovukForm):
    """A looked-after review and what it records. Who was there comes as rows of three fields
    (``person_<n>_role``, ``_name``, ``_attended``), starting from ``invitees``; progress on
    each of ``recommendations`` (the earlier reviews') as ``progress_<id>`` and its note. A
    review already recorded (``editing``) keeps its date and carries its version. Whether the
    child attended is asked only of a child who may have been under 4 (``under_five``)."""

    review_date = date_field("Date of the review", "Enter the date of the review")
    participation = forms.ChoiceField(
        label="How the child took part",
        choices=code_choices(CodeListName.REVIEW_PARTICIPATION),
        error_messages={"required": "Select how the child took part"},
    )
    child_attended = yes_no(
        "If the child is under 4 (PN0), did they attend?",
        required=False,
        help_text="For an older child, how they took part says whether they attended",
    )
    child_views = optional_area(
        "The child's views",
        "What the child said, and how (in person, through an advocate, in writing)",
    )
    child_views_not_obtained = optional_area(
        "If the child's views were not obtained, why not", rows=3
    )
    parents_views = optional_area("The parents' views")
    iro_view_of_plan = optional_area(
        "The IRO's view of the care plan",
        "Whether the plan meets the child's needs, and what should change",
    )
    iro_view_of_progress = optional_area("The IRO's view of the child's progress")
    identity_needs = identity_field(
        required=False, help_text=f"{REVIEW_IDENTITY_HINT}. Needed before the review is complete"
    )
    minutes = optional_area(
        "Minutes", "The record of the review: what was discussed, and what was decided", rows=12
    )
    told_about = told_about_field(
        "Was the child told about any of these at the review?",
        required=False,
        help_text=TOLD_ABOUT_HINT,
    )
    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = VersionField()  # removed when the review is first recorded

    def __init__(
        self,
        *args: Any,
        invitees: Sequence[Invitee] = (),
        recommendations: Sequence[ReviewRecommendation] = (),
        editing: bool = False,
        under_five: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # what the child was told is recorded once, with the review
            del self.fields["review_date"]
            del self.fields["told_about"]
        else:
            del self.fields["version"]
        if not under_five:  # too old to have been under 4 at a review
            del self.fields["child_attended"]
        count = len(invitees) + SPARE_ROWS
        if self.is_bound:
            given = str(self.data.get("rows", ""))
            count = min(int(given), MOST_ROWS) if given.isdigit() else count
        self.initial["rows"] = count
        for number, invitee in enumerate(invitees, start=1):
            self.initial[f"person_{number}_role"] = invitee.role
            self.initial[f"person_{number}_name"] = invitee.name
            self.initial[f"person_{number}_attended"] = _yes_no_value(invitee.attended)
        self.row_numbers = range(1, count + 1)
        for number in self.row_numbers:
            self.fields[f"person_{number}_role"] = forms.ChoiceField(
                label="Role", choices=[("", "Select"), *ReviewAttendee.Role.choices], required=False
            )
            # Its length is checked in clean(): a maxlength would cut what is typed unseen.
            self.fields[f"person_{number}_name"] = text("Name", required=False)
            self.fields[f"person_{number}_attended"] = yes_no("Did they attend?", required=False)
        self.recommendations = list(recommendations)
        for recommendation in self.recommendations:
            name = progress_field(recommendation.pk)
            self.fields[name] = forms.ChoiceField(
                label="How far has it got?",
                choices=RecommendationProgress.Status.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{name}_note"] = optional_area("Note", rows=2)
        for field in self.fields.values():  # the fields added here, in the GOV.UK style
            field.widget.attrs.setdefault("class", self._input_class(field.widget))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in self.row_numbers:
            row = f"person_{number}"
            role, attended = data.get(f"{row}_role"), data.get(f"{row}_attended")
            name = (data.get(f"{row}_name") or "").strip()
            if not role and not name and attended is None:
                continue  # a spare row left blank
            if not name:
                self.add_error(f"person_{number}_name", f"Enter the name of person {number}")
            elif len(name) > NAME_LIMIT:
                self.add_error(
                    f"person_{number}_name",
                    f"The name of person {number} must be {NAME_LIMIT} characters or fewer",
                )
            if not role:
                self.add_error(f"person_{number}_role", f"Select the role of person {number}")
            if attended is None:
                self.add_error(
                    f"person_{number}_attended", f"Select whether person {number} attended"
                )
        for recommendation in self.recommendations:
            name = progress_field(recommendation.pk)
            if (data.get(f"{name}_note") or "").strip() and not data.get(name):
                self.add_error(name, "Select how far it has got, or delete the note")
        return data

    def attendees(self) -> list[Attendee]:
        data = self.cleaned_data
        return [
            Attendee(
                role=data[f"person_{n}_role"],
                name=data[f"person_{n}_name"],
                attended=bool(data[f"person_{n}_attended"]),
            )
            for n in self.row_numbers
            if (data.get(f"person_{n}_name") or "").strip()
        ]

    def progress(self) -> list[Progress]:
        data = self.cleaned_data
        return [
            Progress(r.pk, data[progress_field(r.pk)], data.get(f"{progress_field(r.pk)}_note", ""))
            for r in self.recommendations
            if data.get(progress_field(r.pk))
        ]

    def content(self) -> ReviewContent:
        """What the actions take: the review's fields, who was there and the progress."""
        data = self.cleaned_data
        return ReviewContent(
            participation=data["participation"],
            child_attended=data.get("child_attended"),
            child_views=data["child_views"],
            child_views_not_obtained=data["child_views_not_obtained"],
            parents_views=data["parents_views"],
            iro_view_of_plan=data["iro_view_of_plan"],
            iro_view_of_progress=data["iro_view_of_progress"],
            identity_needs=data[FIELD],
            minutes=data["minutes"],
            attendees=self.attendees(),
            progress=self.progress(),
        )

    def sections(self) -> list[Section]:
        """The form in parts, for the page to show under headings."""

        def bound(*names: str) -> list[forms.BoundField]:
            return [self[name] for name in names if name in self.fields]

        people = [
            Group(f"Person {n}", bound(*(f"person_{n}_{p}" for p in ("role", "name", "attended"))))
            for n in self.row_numbers
        ]
        earlier = [
            Group(
                f"“{r.what}” ({r.who}, by {format_date(r.by_when)}; from the review on "
                f"{format_date(r.review.review_date)})",
                bound(progress_field(r.pk), f"{progress_field(r.pk)}_note"),
            )
            for r in self.recommendations
        ]
        sections = [
            Section(
                "The review", [Group("", bound("review_date", "participation", "child_attended"))]
            ),
            Section(
                "Who was there",
                people,
                "Everyone invited other than the child, and whether they came. Leave a row "
                "blank if you do not need it; save to get more rows.",
            ),
            Section(
                "Views",
                [Group("", bound("child_views", "child_views_not_obtained", "parents_views"))],
            ),
            Section(
                "The IRO's view", [Group("", bound("iro_view_of_plan", "iro_view_of_progress"))]
            ),
            Section("Identity", [Group("", bound(FIELD))]),
        ]
        if "told_about" in self.fields:
            sections.append(Section("Having a say", [Group("", bound("told_about"))]))
        if earlier:
            sections.append(
                Section(
                    "Earlier recommendations",
                    earlier,
                    "How far each recommendation of earlier reviews, not yet done, has got.",
                )
            )
        sections.append(Section("Minutes", [Group("", bound("minutes"))]))
        return sections


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


class EarlierReviewForm(GovukForm):
    requested_on = date_field("Date you asked", "Enter the date you asked for the review")
    review_by = date_field(
        "Date the review should be held by", "Enter the date the review should be held by"
    )
    reason = area(
        "Why it should be held earlier",
        "Enter why the review should be held earlier",
        "For example, a change of placement, or a change to the plan for permanence",
    )


class VisitForm(GovukForm):
    visit_date = date_field("Date of the visit", "Enter the date of the visit")
    child_seen = yes_no("Was the child seen?", message="Select yes if the child was seen")
    seen_alone = yes_no(
        "Was the child seen alone?", message="Select yes if the child was seen alone"
    )
    note = area("What happened on the visit", "Enter what happened on the visit")
    told_about = told_about_field(
        "Was the child told about any of these at the visit?",
        required=False,
        help_text=TOLD_ABOUT_HINT,
    )


class HealthForm(GovukForm):
    kind = radios("What are you recording?", HealthRecord.Kind.choices, RECORDING)
    event_date = date_field(
        "Date",
        "Enter the date",
        "For a conviction, the day of the conviction. For example, 27 3 2025",
    )
    immunisations_up_to_date = yes_no(
        "Are immunisations up to date?", required=False, help_text="For an immunisations check"
    )
    sdq_score = forms.IntegerField(
        label="SDQ score",
        required=False,
        help_text="From 0 to 40, for a strengths and difficulties questionnaire",
        error_messages={"invalid": "The SDQ score must be a whole number, like 12"},
    )
    sdq_reason = forms.ChoiceField(
        label="If there is no SDQ score, why not",
        choices=code_choices(CodeListName.SDQ_REASON, blank="There is a score"),
        required=False,
        help_text="For a strengths and difficulties questionnaire that was not completed",
    )
    substance_misuse = yes_no(
        "Was substance misuse identified?",
        required=False,
        help_text="At a health assessment. A record of substance misuse says yes.",
    )
    intervention_received = yes_no(
        "Did the child receive an intervention for substance misuse?",
        required=False,
        help_text="Where substance misuse was identified",
    )
    intervention_offered = yes_no(
        "If not, were they offered an intervention they did not take up?",
        required=False,
        help_text="Only where no intervention was received",
    )
    health_plan = forms.CharField(
        label="Health plan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed for a health assessment",
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a conviction, what it was for",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["sdq_reason"] = data.get("sdq_reason") or ""
        return data


class ProviderForm(GovukForm):
    """An entry in the register of placement providers. ``editing`` adds whether it is in
    use and the version it was read at."""

    name = text("Name", "Enter the provider's name", max_length=200)
    provider_type = forms.ChoiceField(
        label="Type of provider",
        choices=code_choices(CodeListName.PLACEMENT_PROVIDER, exclude=("PR0",)),
        help_text="The 903 placement provider code",
        error_messages={"required": "Select the type of provider"},
    )
    ofsted_urn = text(
        "Ofsted URN",
        required=False,
        max_length=8,
        help_text=(
            "Like SC123456 or 1234567. XXXXXXX for a regional adoption agency. Leave blank for "
            "a provider Ofsted does not register, such as a hospital."
        ),
    )
    postcode = text(
        "Postcode",
        required=False,
        max_length=10,
        help_text="Of the home, school or office. Needed unless it is outside England.",
    )
    outside_england = forms.BooleanField(
        label="Its premises are outside England (Scotland, Wales, Northern Ireland or abroad)",
        required=False,
    )
    placement_types = forms.MultipleChoiceField(
        label="Placement types it offers",
        choices=[c for c in code_choices(CodeListName.PLACEMENT_TYPE) if c[0]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if the register does not limit them",
    )
    active = forms.BooleanField(
        label="In use: offered for new placements",
        required=False,
        help_text="Untick when the provider is no longer used; earlier placements keep it",
    )
    version = VersionField()  # removed when the provider is added

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["active"]
            del self.fields["version"]


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


class PathwayPlanForm(IdentityFormMixin, GovukForm):
    kind = radios("What are you recording?", PathwayPlan.Kind.choices, RECORDING)
    plan_date = date_field("Date", "Enter the date")
    summary = area("The assessment or plan", "Enter the plan or assessment")
    young_person_views = area("The young person's views", "Enter the young person's views")
    identity_needs = identity_field(
        required=False,
        help_text=f"Needed for a pathway plan or its review. {IDENTITY_HINT}",
    )


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
