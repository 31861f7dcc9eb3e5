"""Pages for care and leaving care: thin views that look up, bind a form, call an action."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.core.forms import add_action_errors
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


add_errors = add_action_errors


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def label(listname: CodeListName, code: str) -> str:
    return f"{code} - {code_list(listname).label(code)}" if code else ""


class CareRecordView(ChildRecordMixin, TemplateView):
    """The child's care and leaving care: pen picture, what is due, episodes, and history."""

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
        reviews = []
        for p in record.periods:
            reviews.extend(derive.review_timeliness(p, record.reviews, today))
        reviews.sort(key=lambda pair: pair[0].review_date, reverse=True)
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
            due=[(d, queries.tag_colour(d.timeliness.status)) for d in record.due(today)],
            reviews=[
                (
                    r,
                    t,
                    queries.tag_colour(t.status),
                    derive.minutes_due(r, today),
                    label(CodeListName.REVIEW_PARTICIPATION, r.participation),
                )
                for r, t in reviews
            ],
            iro=record.current_iro(today),
            eligibility=record.eligibility(today),
            adviser=record.current_adviser(today),
            birthday_contact=record.birthday_contact(today),
            can_record=user.has_perm(Permission.PLAN_RECORD.django_name),
            can_chair=user.has_perm(Permission.REVIEW_CHAIR.django_name),
        )
        return context


class CareFormView(ChildRecordMixin, FormView):  # type: ignore[type-arg]
    """A form on the child's care record; ``perform`` calls the action."""

    permission = Permission.PLAN_RECORD
    record_section = "care"
    template_name = "lookedafter/form.html"
    title: ClassVar[str]
    button: ClassVar[str] = "Save"
    success_message: ClassVar[str]
    intro: ClassVar[str] = ""

    def perform(self, data: dict[str, Any], form: Any) -> None:
        raise NotImplementedError

    def record_url(self) -> str:
        return reverse("lookedafter:record", kwargs={"person_id": self.person.pk})

    def get_success_url(self) -> str:
        return self.record_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title, button=self.button, back_url=self.record_url(), intro=self.intro
        )
        return context

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form.cleaned_data, form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class StartCareView(CareFormView):
    form_class = forms.StartCareForm
    title = "Start a period of care"
    button = "Start the period of care"
    success_message = "Period of care started"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.start_period_of_care(
            acting_user=self.request.user,
            child=self.person,
            start_date=data["start_date"],
            legal_status=data["legal_status"],
            placement=form.placement(),
        )


class LegalStatusView(CareFormView):
    form_class = forms.LegalStatusForm
    title = "Change the legal status"
    button = "Save the legal status"
    success_message = "Legal status changed"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.change_legal_status(
            acting_user=self.request.user,
            child=self.person,
            change_date=data["change_date"],
            legal_status=data["legal_status"],
        )


class PlacementView(CareFormView):
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

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.change_placement(
            acting_user=self.request.user,
            child=self.person,
            change_date=data["change_date"],
            placement=form.placement(),
            same_carer=bool(data["same_carer"]),
            reason_place_change=data.get("reason_place_change") or "",
            legal_status=data.get("legal_status") or "",
        )


class EndCareView(CareFormView):
    form_class = forms.EndCareForm
    title = "End the period of care"
    button = "End the period of care"
    success_message = "Period of care ended"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.end_period_of_care(
            acting_user=self.request.user,
            child=self.person,
            end_date=data["end_date"],
            reason_episode_ceased=data["reason_episode_ceased"],
        )


class IROView(CareFormView):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.IROForm
    title = "Allocate an independent reviewing officer"
    button = "Allocate"
    success_message = "IRO allocated"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.allocate_iro(
            acting_user=self.request.user,
            child=self.person,
            iro=data["iro"],
            start_date=data["start_date"],
        )


class CarePlanView(CareFormView):
    form_class = forms.CarePlanForm
    title = "Record the care plan"
    button = "Save the care plan"
    success_message = "Care plan recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_care_plan(acting_user=self.request.user, child=self.person, **data)


class ReviewView(CareFormView):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.ReviewForm
    title = "Record a looked-after review"
    button = "Save the review"
    success_message = "Review recorded. Now add its recommendations."

    def perform(self, data: dict[str, Any], form: Any) -> None:
        self.review = actions.record_review(
            acting_user=self.request.user, child=self.person, **data
        )

    def get_success_url(self) -> str:
        return reverse(
            "lookedafter:recommendation-new",
            kwargs={"person_id": self.person.pk, "review_id": self.review.pk},
        )


class ReviewMixin:
    kwargs: dict[str, Any]
    person: Any

    @cached_property
    def review(self) -> LACReview:
        return queries.get_review(self.person, int(self.kwargs["review_id"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["review"] = self.review
        return context


class RecommendationView(ReviewMixin, CareFormView):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.RecommendationForm
    title = "Add a recommendation"
    button = "Add the recommendation"
    success_message = "Recommendation added"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            f"From the review on {format_date(self.review.review_date)}. Make it SMART: "
            "what, who, by when, and how we will know."
        )
        return context

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.add_recommendation(acting_user=self.request.user, review=self.review, **data)


class MinutesView(ReviewMixin, CareFormView):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.MinutesForm
    title = "Record that the minutes are complete"
    button = "Save"
    success_message = "Minutes recorded as complete"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.complete_minutes(
            acting_user=self.request.user, review=self.review, completed_on=data["completed_on"]
        )


class VisitView(CareFormView):
    form_class = forms.VisitForm
    title = "Record a statutory visit"
    button = "Save the visit"
    success_message = "Visit recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_visit(acting_user=self.request.user, child=self.person, **data)


class HealthView(CareFormView):
    form_class = forms.HealthForm
    title = "Record health"
    button = "Save"
    success_message = "Health recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_health(acting_user=self.request.user, child=self.person, **data)


class PEPView(CareFormView):
    form_class = forms.PEPForm
    title = "Record a personal education plan"
    button = "Save the PEP"
    success_message = "Personal education plan recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_pep(acting_user=self.request.user, child=self.person, **data)


class MissingView(CareFormView):
    form_class = forms.MissingForm
    title = "Record a missing or away episode"
    button = "Save the episode"
    success_message = "Missing or away episode recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_missing(acting_user=self.request.user, child=self.person, **data)


class MissingReturnView(CareFormView):
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = f"The episode that began on {format_date(self.missing.start_date)}."
        return context

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_missing_return(acting_user=self.request.user, missing=self.missing, **data)


class AdviserView(CareFormView):
    form_class = forms.AdviserForm
    title = "Allocate a personal adviser"
    button = "Allocate"
    success_message = "Personal adviser allocated"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.allocate_personal_adviser(acting_user=self.request.user, child=self.person, **data)


class PathwayPlanView(CareFormView):
    form_class = forms.PathwayPlanForm
    title = "Record a needs assessment or pathway plan"
    button = "Save"
    success_message = "Pathway plan recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_pathway_plan(acting_user=self.request.user, child=self.person, **data)


class CareLeaverContactView(CareFormView):
    form_class = forms.CareLeaverContactForm
    title = "Record keeping-in-touch contact"
    button = "Save the contact"
    success_message = "Contact recorded"

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.record_care_leaver_contact(acting_user=self.request.user, child=self.person, **data)


class PenPictureView(CareFormView):
    form_class = forms.PenPictureForm
    title = "Pen picture"
    button = "Save the pen picture"
    success_message = "Pen picture saved"
    intro = (
        "Who the child is, in words they would recognise: what matters to them, their story "
        "so far and why the big decisions in their life were made."
    )

    def get_initial(self) -> dict[str, Any]:
        picture = queries.care_record_pen_picture(self.person)
        if picture is None:
            return {}
        return {
            "who_they_are": picture.who_they_are,
            "what_matters": picture.what_matters,
            "story_so_far": picture.story_so_far,
            "big_decisions": picture.big_decisions,
            "version": picture.version,
        }

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.save_pen_picture(
            acting_user=self.request.user,
            child=self.person,
            read_version=data.pop("version"),
            **data,
        )


class UASCView(CareFormView):
    form_class = forms.UASCForm
    title = "Unaccompanied asylum-seeking child"
    button = "Save"
    success_message = "Details saved"

    def get_initial(self) -> dict[str, Any]:
        details = queries.care_record(self.person).uasc
        if details is None:
            return {}
        return {name: getattr(details, name) for name in [*actions.UASC_FIELDS, "version"]}

    def perform(self, data: dict[str, Any], form: Any) -> None:
        actions.save_uasc_details(
            acting_user=self.request.user,
            child=self.person,
            read_version=data.pop("version"),
            **data,
        )
