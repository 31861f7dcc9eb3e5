"""Pages for care and leaving care: thin views that look up, bind a form, call an action."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import AuthenticatedRequest, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.lookedafter import actions, derive, forms, queries
from caseline.apps.lookedafter.models import LACReview, MissingEpisode
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.timescales.rules import format_date

LISTS = {
    "legal_status": CodeListName.LEGAL_STATUS,
    "placement_type": CodeListName.PLACEMENT_TYPE,
    "placement_provider": CodeListName.PLACEMENT_PROVIDER,
    "reason_new_episode": CodeListName.REASON_NEW_EPISODE,
    "reason_episode_ceased": CodeListName.REASON_EPISODE_CEASED,
    "reason_place_change": CodeListName.REASON_PLACEMENT_CHANGE,
}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def label(listname: CodeListName, code: str) -> str:
    return f"{code} - {code_list(listname).label(code)}" if code else ""


class CareRecordView(ChildRecordMixin, TemplateView):
    """The child's care and leaving care: pen picture, what is due, episodes, and history."""

    request: AuthenticatedRequest
    permission = Permission.CHILD_VIEW
    record_section = "care"
    template_name = "lookedafter/record.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        record = queries.care_record(self.person)
        period = record.current_period(today)
        episodes = [
            {
                "episode": e,
                **{name: label(listname, getattr(e, name)) for name, listname in LISTS.items()},
            }
            for e in reversed(record.episodes)
        ]
        reviews = derive.reviews_with_timeliness(record.periods, record.reviews, today)
        user = self.request.user
        context.update(
            today=today,
            record=record,
            period=period,
            current=period.current if period else None,
            current_labels=(
                {
                    name: label(listname, getattr(period.current, name))
                    for name, listname in LISTS.items()
                }
                if period
                else {}
            ),
            placement_start=period.placements[-1].start_date if period else None,
            placements_in_period=len(period.placements) if period else 0,
            periods=list(reversed(record.periods)),
            episodes=episodes,
            due=record.due(today),
            placement_paperwork=record.placement_paperwork(today),
            reviews=[
                (
                    r,
                    t,
                    derive.minutes_due(r, today),
                    label(CodeListName.REVIEW_PARTICIPATION, r.participation),
                )
                for r, t in reviews
            ],
            iro=record.current_iro(today),
            eligibility=record.eligibility(today),
            adviser=record.current_adviser(today),
            birthday_contact=record.birthday_contact(today),
            # Each link is shown to those who hold the permission its page needs.
            can_care=user_can(user, Permission.CARE_RECORD),
            can_plan=user_can(user, Permission.PLAN_RECORD),
            can_visit=user_can(user, Permission.VISIT_RECORD),
            can_chair=user_can(user, Permission.REVIEW_CHAIR),
        )
        return context


class CarePage(ChildRecordMixin):
    """A form page in the care section of the child's record, which a save returns to. Put
    before ``ActionFormView``: ``class X(CarePage, ActionFormView[XForm])``."""

    record_section = "care"
    template_name: str | None = "lookedafter/form.html"
    intro: ClassVar[str] = ""

    def get_intro(self) -> str:
        return self.intro

    def get_success_url(self) -> str:
        return reverse("lookedafter:record", kwargs={"person_id": self.person.pk})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["intro"] = self.get_intro()
        return context


# --- Periods of care, legal status, placements ----------------------------------------------


class StartCareView(CarePage, ActionFormView[forms.StartCareForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.StartCareForm
    title = "Start a period of care"
    button = "Start the period of care"
    success_message = "Period of care started"

    def perform(self, form: forms.StartCareForm) -> object:
        return actions.start_period_of_care(
            acting_user=self.request.user,
            child=self.person,
            start_date=form.cleaned_data["start_date"],
            legal_status=form.cleaned_data["legal_status"],
            placement=form.placement(),
        )


class LegalStatusView(CarePage, ActionFormView[forms.LegalStatusForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.LegalStatusForm
    title = "Change the legal status"
    button = "Save the legal status"
    success_message = "Legal status changed"

    def perform(self, form: forms.LegalStatusForm) -> object:
        return actions.change_legal_status(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class PlacementView(CarePage, ActionFormView[forms.PlacementForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.PlacementForm
    title = "Change the placement"
    button = "Save the placement"
    success_message = "Placement changed"

    def get_initial(self) -> dict[str, Any]:
        """Start from the current placement, so a worker changes only what changed."""
        current = queries.open_episode(self.person)
        if current is None:
            return {}
        initial: dict[str, Any] = actions.PlacementDetails.of(current).as_dict()
        initial["intended_until_18"] = _yes_no(current.intended_until_18)
        return initial

    def perform(self, form: forms.PlacementForm) -> object:
        data = form.cleaned_data
        return actions.change_placement(
            acting_user=self.request.user,
            child=self.person,
            change_date=data["change_date"],
            placement=form.placement(),
            same_carer=bool(data["same_carer"]),
            reason_place_change=data.get("reason_place_change") or "",
            legal_status=data.get("legal_status") or "",
        )


class EndCareView(CarePage, ActionFormView[forms.EndCareForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.EndCareForm
    title = "End the period of care"
    button = "End the period of care"
    success_message = "Period of care ended"

    def perform(self, form: forms.EndCareForm) -> object:
        return actions.end_period_of_care(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


# --- IRO, care plan and reviews -------------------------------------------------------------


class IROView(CarePage, ActionFormView[forms.IROForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.IROForm
    title = "Allocate an independent reviewing officer"
    button = "Allocate"
    success_message = "IRO allocated"

    def perform(self, form: forms.IROForm) -> object:
        return actions.allocate_iro(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class CarePlanView(CarePage, ActionFormView[forms.CarePlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = forms.CarePlanForm
    title = "Record the care plan"
    button = "Save the care plan"
    success_message = "Care plan recorded"

    def perform(self, form: forms.CarePlanForm) -> object:
        return actions.record_care_plan(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class ReviewView(CarePage, ActionFormView[forms.ReviewForm]):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.ReviewForm
    title = "Record a looked-after review"
    button = "Save the review"
    success_message = "Review recorded. Now add its recommendations."

    def perform(self, form: forms.ReviewForm) -> object:
        return actions.record_review(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        if self.result is None:  # "Cancel" goes back to the record
            return super().get_success_url()
        return reverse(
            "lookedafter:recommendation-new",
            kwargs={"person_id": self.person.pk, "review_id": self.result.pk},
        )


class ReviewPage(CarePage):
    """A form about one of the child's reviews (``review_id`` in the URL)."""

    kwargs: dict[str, Any]

    @cached_property
    def review(self) -> LACReview:
        return queries.get_review(self.person, int(self.kwargs["review_id"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        return context


class RecommendationView(ReviewPage, ActionFormView[forms.RecommendationForm]):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.RecommendationForm
    title = "Add a recommendation"
    button = "Add the recommendation"
    success_message = "Recommendation added"

    def get_intro(self) -> str:
        return (
            f"From the review on {format_date(self.review.review_date)}. Make it SMART: "
            "what, who, by when, and how we will know."
        )

    def perform(self, form: forms.RecommendationForm) -> object:
        return actions.add_recommendation(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )


class MinutesView(ReviewPage, ActionFormView[forms.MinutesForm]):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.MinutesForm
    title = "Record that the minutes are complete"
    button = "Save"
    success_message = "Minutes recorded as complete"

    def perform(self, form: forms.MinutesForm) -> object:
        return actions.complete_minutes(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )


# --- Visits, health, education, missing ------------------------------------------------------


class VisitView(CarePage, ActionFormView[forms.VisitForm]):
    permission = Permission.VISIT_RECORD
    form_class = forms.VisitForm
    title = "Record a statutory visit"
    button = "Save the visit"
    success_message = "Visit recorded"

    def perform(self, form: forms.VisitForm) -> object:
        return actions.record_visit(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class HealthView(CarePage, ActionFormView[forms.HealthForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.HealthForm
    title = "Record health"
    button = "Save"
    success_message = "Health recorded"

    def perform(self, form: forms.HealthForm) -> object:
        return actions.record_health(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class PEPView(CarePage, ActionFormView[forms.PEPForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.PEPForm
    title = "Record a personal education plan"
    button = "Save the PEP"
    success_message = "Personal education plan recorded"

    def perform(self, form: forms.PEPForm) -> object:
        return actions.record_pep(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class MissingView(CarePage, ActionFormView[forms.MissingForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.MissingForm
    title = "Record a missing or away episode"
    button = "Save the episode"
    success_message = "Missing or away episode recorded"

    def perform(self, form: forms.MissingForm) -> object:
        return actions.record_missing(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class MissingReturnView(CarePage, ActionFormView[forms.MissingReturnForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.MissingReturnForm
    title = "Record the return and return interview"
    button = "Save"
    success_message = "Return recorded"

    @cached_property
    def missing(self) -> MissingEpisode:
        return queries.get_missing(self.person, int(self.kwargs["missing_id"]))

    def get_initial(self) -> dict[str, Any]:
        m = self.missing
        return {
            "end_date": m.end_date,
            "return_interview_offered": _yes_no(m.return_interview_offered),
            "return_interview_accepted": _yes_no(m.return_interview_accepted),
        }

    def get_intro(self) -> str:
        return f"The episode that began on {format_date(self.missing.start_date)}."

    def perform(self, form: forms.MissingReturnForm) -> object:
        return actions.record_missing_return(
            acting_user=self.request.user, missing=self.missing, **form.cleaned_data
        )


# --- Leaving care ----------------------------------------------------------------------------


class AdviserView(CarePage, ActionFormView[forms.AdviserForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.AdviserForm
    title = "Allocate a personal adviser"
    button = "Allocate"
    success_message = "Personal adviser allocated"

    def perform(self, form: forms.AdviserForm) -> object:
        return actions.allocate_personal_adviser(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class PathwayPlanView(CarePage, ActionFormView[forms.PathwayPlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = forms.PathwayPlanForm
    title = "Record a needs assessment or pathway plan"
    button = "Save"
    success_message = "Pathway plan recorded"

    def perform(self, form: forms.PathwayPlanForm) -> object:
        return actions.record_pathway_plan(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class CareLeaverContactView(CarePage, ActionFormView[forms.CareLeaverContactForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.CareLeaverContactForm
    title = "Record keeping-in-touch contact"
    button = "Save the contact"
    success_message = "Contact recorded"

    def perform(self, form: forms.CareLeaverContactForm) -> object:
        return actions.record_care_leaver_contact(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


# --- Pen picture and UASC --------------------------------------------------------------------


class PenPictureView(CarePage, ActionFormView[forms.PenPictureForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.PenPictureForm
    title = "Pen picture"
    button = "Save the pen picture"
    success_message = "Pen picture saved"
    intro = (
        "Who the child is, in words they would recognise: what matters to them, their story "
        "so far and why the big decisions in their life were made."
    )

    def get_initial(self) -> dict[str, Any]:
        picture = queries.pen_picture_of(self.person)
        if picture is None:
            return {}
        return {name: getattr(picture, name) for name in [*forms.PenPictureForm.base_fields]}

    def perform(self, form: forms.PenPictureForm) -> object:
        data = dict(form.cleaned_data)
        return actions.save_pen_picture(
            acting_user=self.request.user,
            child=self.person,
            read_version=data.pop("version"),
            **data,
        )


class UASCView(CarePage, ActionFormView[forms.UASCForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.UASCForm
    title = "Unaccompanied asylum-seeking child"
    button = "Save"
    success_message = "Details saved"

    def get_initial(self) -> dict[str, Any]:
        details = queries.care_record(self.person).uasc
        if details is None:
            return {}
        return {name: getattr(details, name) for name in [*forms.UASCForm.base_fields]}

    def perform(self, form: forms.UASCForm) -> object:
        data = dict(form.cleaned_data)
        return actions.save_uasc_details(
            acting_user=self.request.user,
            child=self.person,
            read_version=data.pop("version"),
            **data,
        )
