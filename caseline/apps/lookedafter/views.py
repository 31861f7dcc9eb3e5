"""Pages for care and leaving care: thin views that look up, bind a form, call an action."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.accounts.queries import display_names
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import AuthenticatedRequest, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.lookedafter import actions, derive, forms, queries
from caseline.apps.lookedafter.actions.reviews import WRITTEN, progress_field
from caseline.apps.lookedafter.models import Episode, LACReview, MissingEpisode, Recorded
from caseline.apps.people.models import Person
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.plans.views import IdentityNeedsPage
from caseline.apps.timescales.rules import format_date

R = TypeVar("R", bound=Recorded)
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


def _named(rows: Iterable[R], names: dict[int, str]) -> list[tuple[R, str]]:
    """Each row with the name of who recorded it."""
    return [(row, names.get(row.recorded_by_id, "")) for row in rows]


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
        # On a series of short breaks (on a break, or between breaks until it lapses), its
        # reviews and visits are due and recorded: the page offers them.
        short_breaks = derive.short_breaks_on(record.periods, today) if period is None else None
        listed: list[Recorded] = [
            *record.episodes,
            *record.earlier_review_requests,
            *record.visits,
            *record.health,
            *record.peps,
            *record.missing,
            *record.pathway_plans,
            *record.contacts,
        ]
        names = display_names(
            [r.recorded_by_id for r in listed] + [e.corrected_by_id for e in record.episodes]
        )
        episodes = [
            {
                "episode": e,
                "recorded_by": names.get(e.recorded_by_id, ""),
                "corrected_by": names.get(e.corrected_by_id or 0, ""),
                **{name: label(listname, getattr(e, name)) for name, listname in LISTS.items()},
            }
            for e in reversed(record.episodes)
        ]
        reviews = derive.reviews_with_timeliness(
            record.periods, record.reviews, today, record.review_requests(today)
        )
        user = self.request.user
        context.update(
            today=today,
            record=record,
            period=period,
            short_breaks=short_breaks,
            on_a_break=short_breaks is not None and short_breaks.on_a_break(today),
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
            earlier_reviews=[
                (asked, met_by, names.get(asked.recorded_by_id, ""))
                for asked, met_by in record.earlier_reviews_asked()
            ],
            visits=_named(record.visits, names),
            health=_named(record.health, names),
            peps=_named(record.peps, names),
            missing=_named(record.missing, names),
            pathway_plans=_named(record.pathway_plans, names),
            contacts=_named(record.contacts, names),
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

    @cached_property
    def period(self) -> derive.PeriodOfCare | None:
        """The child's period of care now, if they are looked after."""
        return queries.care_record(self.person).current_period(timezone.localdate())

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

    def get_intro(self) -> str:
        if self.period is None:
            return ""
        status = label(CodeListName.LEGAL_STATUS, self.period.current.legal_status)
        return (
            f"The legal status now is {status}, since "
            f"{format_date(self.period.legal_status_since)}."
        )

    def perform(self, form: forms.LegalStatusForm) -> object:
        return actions.change_legal_status(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


def _placement_initial(episode: Episode) -> dict[str, Any]:
    """A placement form's starting values, from an episode. The provider type is asked only
    when there is no provider from the register, so it starts blank when there is one."""
    initial: dict[str, Any] = actions.PlacementDetails.of(episode).as_dict()
    if episode.provider_id:
        initial["placement_provider"] = ""
    return initial


class PlacementView(CarePage, ActionFormView[forms.PlacementForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.PlacementForm
    title = "Change the placement"
    button = "Save the placement"
    success_message = "Placement changed"
    intro = "The form starts from the current placement: change what has changed."

    def get_initial(self) -> dict[str, Any]:
        """Start from the current placement, so a worker changes only what changed."""
        current = queries.open_episode(self.person)
        if current is None:
            return {}
        initial = _placement_initial(current)
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

    def get_intro(self) -> str:
        if self.period is None:
            return ""
        since = format_date(self.period.start_date)
        return f"{self.person.given_name} has been looked after since {since}."

    def perform(self, form: forms.EndCareForm) -> object:
        return actions.end_period_of_care(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class EpisodeCorrectView(CarePage, ActionFormView[forms.EpisodeCorrectionForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.EpisodeCorrectionForm
    title = "Correct an episode"
    button = "Save the correction"
    success_message = "Episode corrected"

    @cached_property
    def place(self) -> queries.EpisodeInCare:
        return queries.episode_in_care(self.person, int(self.kwargs["episode_id"]))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            ended_by_move=self.place.ended_by_move,
            ended_care=self.place.ended_care,
            episode=self.place.episode,
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        episode = self.place.episode
        initial = _placement_initial(episode)
        initial.update(
            start_date=episode.start_date,
            legal_status=episode.legal_status,
            intended_until_18=_yes_no(episode.intended_until_18),
            reason_place_change=episode.reason_place_change,
            reason_episode_ceased=episode.reason_episode_ceased,
        )
        return initial

    def get_intro(self) -> str:
        episode, placement = self.place.episode, self.place.placement
        until = format_date(episode.end_date) if episode.end_date else "now"
        intro = (
            f"The episode from {format_date(episode.start_date)} to {until}: "
            f"{label(CodeListName.LEGAL_STATUS, episode.legal_status)}, "
            f"{label(CodeListName.PLACEMENT_TYPE, episode.placement_type)}."
        )
        if len(placement) > 1:
            intro += (
                f" A correction to the placement applies to all {len(placement)} episodes of "
                f"the placement, from {format_date(placement[0].start_date)}."
            )
        return intro

    def perform(self, form: forms.EpisodeCorrectionForm) -> object:
        data = form.cleaned_data
        return actions.correct_episode(
            acting_user=self.request.user,
            episode=self.place.episode,
            start_date=data["start_date"],
            legal_status=data["legal_status"],
            placement=form.placement(),
            reason_place_change=data.get("reason_place_change") or "",
            reason_episode_ceased=data.get("reason_episode_ceased") or "",
            reason=data["reason"],
        )


# --- IRO, care plan and reviews -------------------------------------------------------------


class IROView(CarePage, ActionFormView[forms.IROForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.IROForm
    title = "Allocate an independent reviewing officer"
    button = "Allocate"
    success_message = "IRO allocated"

    def get_intro(self) -> str:
        current = queries.care_record(self.person).current_iro(timezone.localdate())
        if current is None:
            return ""
        return (
            f"The IRO now is {current.iro}, since {format_date(current.start_date)}. The new "
            "IRO takes over on the date you give."
        )

    def perform(self, form: forms.IROForm) -> object:
        return actions.allocate_iro(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class CarePlanView(CarePage, IdentityNeedsPage, ActionFormView[forms.CarePlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = forms.CarePlanForm
    title = "Record the care plan"
    button = "Save the care plan"
    success_message = "Care plan recorded"

    def get_initial(self) -> dict[str, Any]:
        """A new version starts from the latest plan, so a worker changes only what changed."""
        latest = queries.care_record(self.person).care_plan
        if latest is None:
            return {}
        fields = (
            "permanence_plan",
            "plan_summary",
            "placement_plan",
            "child_views",
            "identity_needs",
        )
        return {name: getattr(latest, name) for name in fields}

    def get_intro(self) -> str:
        latest = queries.care_record(self.person).care_plan
        if latest is None:
            return ""
        return (
            f"The form starts from the care plan of {format_date(latest.plan_date)}: change "
            "what has changed. The earlier plan is kept."
        )

    def perform(self, form: forms.CarePlanForm) -> object:
        return actions.record_care_plan(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


def _plan_identity(child: Person) -> str:
    """How the child's care plan (the latest) says it meets their identity needs, if it does."""
    plan = queries.care_record(child).care_plan
    return plan.identity_needs if plan is not None else ""


def _under_five(child: Person) -> bool:
    """Whether the child may have been under 4 at a recent review (or their age is unknown)."""
    age = child.age_on(timezone.localdate())
    return age is None or age < 5


class ReviewView(CarePage, IdentityNeedsPage, ActionFormView[forms.ReviewForm]):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.ReviewForm
    template_name = "lookedafter/review_form.html"
    title = "Record a looked-after review"
    button = "Save the review"
    success_message = "Review recorded. Now add its recommendations."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["invitees"] = queries.usual_invitees(self.person)
        kwargs["under_five"] = _under_five(self.person)
        # Recorded after it was held: the earlier reviews' recommendations are those before today.
        kwargs["recommendations"] = queries.open_recommendations(self.person, timezone.localdate())
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        """How the plan meets the child's identity needs starts from what the care plan says."""
        return {"identity_needs": _plan_identity(self.person)}

    def perform(self, form: forms.ReviewForm) -> object:
        return actions.record_review(
            acting_user=self.request.user,
            child=self.person,
            review_date=form.cleaned_data["review_date"],
            told_about=form.cleaned_data["told_about"],
            **form.content(),
        )

    def get_success_url(self) -> str:
        if self.result is None:  # "Cancel" goes back to the record
            return super().get_success_url()
        return reverse(
            "lookedafter:recommendation-new",
            kwargs={"person_id": self.person.pk, "review_id": self.result.pk},
        )


class ReviewPage(CarePage):
    """A page about one of the child's reviews (``review_id`` in the URL), which a save and
    "Cancel" return to."""

    kwargs: dict[str, Any]

    @cached_property
    def review(self) -> LACReview:
        return queries.get_review(self.person, int(self.kwargs["review_id"]))

    def get_success_url(self) -> str:
        return review_url(self.review)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["review"] = self.review
        return context


def review_url(review: LACReview) -> str:
    return reverse(
        "lookedafter:review", kwargs={"person_id": review.person_id, "review_id": review.pk}
    )


class ReviewDetailView(ReviewPage, TemplateView):
    """Everything a review records: who was there, the views, the IRO's view, progress on
    earlier recommendations, its own recommendations and the minutes."""

    request: AuthenticatedRequest
    permission = Permission.CHILD_VIEW
    template_name = "lookedafter/review.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        review = self.review
        progress = {p.recommendation_id: p for p in review.progress.all()}
        chair = review.chair_id
        names = display_names([review.recorded_by_id] + ([chair] if chair else []))
        context.update(
            participation=label(CodeListName.REVIEW_PARTICIPATION, review.participation),
            attendees=list(review.attendees.all()),
            earlier=[(r, progress.get(r.pk)) for r in queries.reported_recommendations(review)],
            recommendations=list(review.recommendations.all()),
            minutes=derive.minutes_due(review, timezone.localdate()),
            recorded_by=names.get(review.recorded_by_id, ""),
            chair=names.get(chair, "") if chair else "Held in another system",
            can_chair=user_can(self.request.user, Permission.REVIEW_CHAIR),
        )
        return context


class ReviewEditView(ReviewPage, IdentityNeedsPage, ActionFormView[forms.ReviewForm]):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.ReviewForm
    template_name = "lookedafter/review_form.html"
    title = "Change the review"
    button = "Save the review"
    success_message = "Review saved"

    def get_intro(self) -> str:
        review = self.review
        if review.recorded_elsewhere:
            return f"The review on {format_date(review.review_date)}, held in another system."
        return f"The review on {format_date(review.review_date)}, chaired by {review.chair}."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # A review recorded before who was there could be, starts from who the record says.
        kwargs["invitees"] = [
            queries.Invitee(a.role, a.name, a.attended) for a in self.review.attendees.all()
        ] or queries.usual_invitees(self.person)
        kwargs["recommendations"] = queries.reported_recommendations(self.review)
        kwargs["editing"] = True
        kwargs["under_five"] = _under_five(self.person)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        review = self.review
        initial: dict[str, Any] = {
            name: getattr(review, name) for name in ("participation", "version", *WRITTEN)
        }
        initial["child_attended"] = _yes_no(review.child_attended)
        if not review.identity_needs:  # recorded before it was asked: start from the plan
            initial["identity_needs"] = _plan_identity(self.person)
        for report in review.progress.all():
            initial[progress_field(report.recommendation_id)] = report.status
            initial[f"{progress_field(report.recommendation_id)}_note"] = report.note
        return initial

    def perform(self, form: forms.ReviewForm) -> object:
        return actions.update_review(
            acting_user=self.request.user,
            review=self.review,
            read_version=form.cleaned_data["version"],
            **form.content(),
        )


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
    title = "Complete the review"
    button = "Complete the review"
    success_message = "Review completed"

    def get_intro(self) -> str:
        name = self.person.given_name
        return (
            f"The review on {format_date(self.review.review_date)}. It is complete when its "
            f"minutes are: it needs {name}'s views (or why they were not obtained), the IRO's "
            "view of the care plan, and the minutes themselves."
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        edit = reverse(
            "lookedafter:review-edit",
            kwargs={"person_id": self.person.pk, "review_id": self.review.pk},
        )
        context["related_link"] = (edit, "Change the review to add what it still needs")
        return context

    def perform(self, form: forms.MinutesForm) -> object:
        return actions.complete_minutes(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )


class EarlierReviewView(CarePage, ActionFormView[forms.EarlierReviewForm]):
    permission = Permission.REVIEW_CHAIR
    form_class = forms.EarlierReviewForm
    title = "Ask for an earlier review"
    button = "Save the request"
    success_message = "Earlier review asked for"

    def get_intro(self) -> str:
        if self.period is None:
            return ""
        reviews = queries.care_record(self.person).reviews
        due = derive.next_review(self.period, reviews, timezone.localdate()).timeliness.due_date
        return (
            f"The IRO may bring a review forward (regulation 33). By the rules, the next "
            f"review is due by {format_date(due)}."
        )

    def perform(self, form: forms.EarlierReviewForm) -> object:
        return actions.request_earlier_review(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
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


class PathwayPlanView(CarePage, IdentityNeedsPage, ActionFormView[forms.PathwayPlanForm]):
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
