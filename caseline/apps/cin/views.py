"""Pages for child in need plans: thin views that look up, bind a form, call an action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.cin import actions, queries
from caseline.apps.cin.forms import (
    CourtApplicationForm,
    EndPlanForm,
    EndPreProceedingsForm,
    FamilyGroupDecisionMakingForm,
    LetterBeforeProceedingsForm,
    PlanForm,
    PreProceedingsMeetingForm,
    ReviewForm,
    StartPreProceedingsForm,
    VisitForm,
)
from caseline.apps.cin.models import CINPlan, PreProceedings
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import user_can
from caseline.apps.core.formviews import F
from caseline.apps.core.links import url_builder
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.plans import views as smart
from caseline.apps.plans.forms import ActionForm, ActionStatusForm, OutcomeForm

VISITS_ON_PLANS_PAGE = 5


class PlansView(ChildRecordMixin, TemplateView):
    """The child's plans: the current plan in full, its reviews, visits and what is due."""

    permission = Permission.CHILD_VIEW
    record_section = "plans"
    template_name = "cin/record_plans.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        user = self.request.user
        plan = queries.current_plan_with_detail(self.person, today)
        can_plan = user_can(user, Permission.PLAN_RECORD)
        outcomes = []
        due = None
        if plan is not None:
            ids = {"person_id": self.person.pk}
            add_action = url_builder("cin:action-new", "person_id", "outcome_id")
            progress = url_builder("cin:action-status", "person_id", "action_id")
            outcomes = smart.outcome_rows(
                plan.outcomes.all(),
                today,
                add_action_url=(lambda o: add_action(**ids, outcome_id=o.pk)) if can_plan else None,
                progress_url=(lambda a: progress(**ids, action_id=a.pk)) if can_plan else None,
            )
            due = queries.plan_due(
                plan, plan.reviews.all(), queries.last_seen_on(self.person, today), today
            )
        context.update(
            plan=plan,
            today=today,
            due=due,
            outcomes=outcomes,
            outcome_label=actions.SMART_PLAN.outcome_called(smart.child_name(self.person)),
            visits=list(queries.visits_of(self.person)[:VISITS_ON_PLANS_PAGE]),
            past_plans=[p for p in queries.plans_of(self.person) if plan is None or p != plan],
            pre_proceedings=list(queries.pre_proceedings_of(self.person)),
            can_plan=can_plan,
            can_visit=user_can(user, Permission.VISIT_RECORD),
        )
        return context


class VisitListView(ChildRecordMixin, TemplateView):
    permission = Permission.CHILD_VIEW
    record_section = "plans"
    template_name = "cin/visit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["visits"] = list(queries.visits_of(self.person))
        context["can_visit"] = user_can(self.request.user, Permission.VISIT_RECORD)
        return context


class OnPlansPage(smart.RecordFormPage[F]):
    """A form page of the child's plans: back to the plans page, where a save goes too."""

    kind = actions.SMART_PLAN
    record_section = "plans"
    back_text = "Back to plans"


class OnPlan(smart.PlanPage[F], OnPlansPage[F]):
    """A form page about the child's plan ``plan_id``."""

    plan: CINPlan


class PlanCreateView(smart.IdentityNeedsPage, OnPlansPage[PlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = PlanForm
    title = "Start a child in need plan"
    button = "Start the plan"
    success_message = "Child in need plan started. Now add what we want to be different."

    def get_form(self, form_class: Any = None) -> PlanForm:
        form: PlanForm = super().get_form(form_class)
        del form.fields["version"]
        return form

    def perform(self, form: PlanForm) -> object:
        return actions.start_plan(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse(
            "cin:outcome-new", kwargs={"person_id": self.person.pk, "plan_id": self.result.pk}
        )


class PlanEditView(smart.IdentityNeedsPage, OnPlan[PlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = PlanForm
    title = "Change the child in need plan"
    button = "Save changes"
    success_message = "Plan changed"

    def get_initial(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "start_date": plan.start_date,
            "child_views": plan.child_views,
            "family_views": plan.family_views,
            "identity_needs": plan.identity_needs,
            "version": plan.version,
        }

    def perform(self, form: PlanForm) -> object:
        data = form.cleaned_data
        return actions.update_plan(
            acting_user=self.request.user,
            plan=self.plan,
            read_version=data.pop("version"),
            **data,
        )


class OutcomeCreateView(smart.AddOutcome, OnPlan[OutcomeForm]):
    title = "Add an outcome"
    button = "Add the outcome"
    success_message = "Outcome added. Now add the actions that will make it happen."

    def get_success_url(self) -> str:
        return reverse(
            "cin:action-new", kwargs={"person_id": self.person.pk, "outcome_id": self.result.pk}
        )


class ActionCreateView(smart.AddAction, OnPlansPage[ActionForm]):
    """Add an action towards one of the plan's outcomes."""


class ActionStatusView(smart.UpdateProgress, OnPlansPage[ActionStatusForm]):
    """Record how an action is going."""


class ReviewCreateView(smart.IdentityNeedsPage, OnPlan[ReviewForm]):
    permission = Permission.PLAN_RECORD
    form_class = ReviewForm
    title = "Record a review of the plan"
    button = "Record the review"
    success_message = "Review recorded"

    def get_initial(self) -> dict[str, Any]:
        return {"identity_needs": self.plan.identity_needs}

    def perform(self, form: ReviewForm) -> object:
        return actions.record_review(
            acting_user=self.request.user, plan=self.plan, **form.cleaned_data
        )


class PlanEndView(OnPlan[EndPlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = EndPlanForm
    title = "End the child in need plan"
    button = "End the plan"
    success_message = "Plan ended"

    def intro(self) -> str:
        return "This ends the plan only. To close the child in need episode, close the referral."

    def perform(self, form: EndPlanForm) -> object:
        return actions.end_plan(acting_user=self.request.user, plan=self.plan, **form.cleaned_data)


class VisitCreateView(OnPlansPage[VisitForm]):
    permission = Permission.VISIT_RECORD
    form_class = VisitForm
    title = "Record a visit"
    button = "Record the visit"
    success_message = "Visit recorded"

    def perform(self, form: VisitForm) -> object:
        data = form.cleaned_data
        return actions.record_visit(
            acting_user=self.request.user,
            child=self.person,
            **{**data, "child_seen_alone": bool(data["child_seen_alone"])},
        )


# --- Pre-proceedings and family group decision-making ----------------------------------------


class PreProceedingsView(ChildRecordMixin, TemplateView):
    """One period of pre-proceedings: its letter, family group decision-making, meetings,
    the decision that ended it and any court application, with what the CIN census reads."""

    permission = Permission.CHILD_VIEW
    record_section = "plans"
    template_name = "cin/pre_proceedings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proceedings = queries.get_pre_proceedings(self.person, int(self.kwargs["proceedings_id"]))
        context.update(
            proceedings=proceedings,
            meetings=list(proceedings.meetings.all()),
            outcome_label=code_list(CodeListName.PRE_PROCEEDINGS_OUTCOME).label(proceedings.outcome)
            if proceedings.outcome
            else "",
            census=queries.pre_proceedings_census(proceedings),
            can_plan=user_can(self.request.user, Permission.PLAN_RECORD),
        )
        return context


class PreProceedingsStartView(OnPlansPage[StartPreProceedingsForm]):
    permission = Permission.PLAN_RECORD
    form_class = StartPreProceedingsForm
    title = "Start pre-proceedings"
    button = "Start pre-proceedings"
    success_message = "Pre-proceedings started"

    def intro(self) -> str:
        return "Record the decision of the legal planning meeting to start pre-proceedings."

    def perform(self, form: StartPreProceedingsForm) -> object:
        return actions.start_pre_proceedings(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse(
            "cin:pre-proceedings",
            kwargs={"person_id": self.person.pk, "proceedings_id": self.result.pk},
        )


class OnPreProceedings(OnPlansPage[F]):
    """A form page about the child's pre-proceedings ``proceedings_id``: back to it, where a
    save goes too."""

    permission = Permission.PLAN_RECORD
    back_text = "Back to pre-proceedings"
    proceedings: PreProceedings

    def look_up(self) -> None:
        super().look_up()
        self.proceedings = queries.get_pre_proceedings(
            self.person, int(self.kwargs["proceedings_id"])
        )

    def get_back_url(self) -> str:
        return reverse(
            "cin:pre-proceedings",
            kwargs={"person_id": self.person.pk, "proceedings_id": self.proceedings.pk},
        )


class LetterBeforeProceedingsView(OnPreProceedings[LetterBeforeProceedingsForm]):
    form_class = LetterBeforeProceedingsForm
    title = "Record the letter before proceedings"
    success_message = "Letter before proceedings recorded"

    def perform(self, form: LetterBeforeProceedingsForm) -> object:
        return actions.record_letter_before_proceedings(
            acting_user=self.request.user, proceedings=self.proceedings, **form.cleaned_data
        )


class FamilyGroupDecisionMakingView(OnPreProceedings[FamilyGroupDecisionMakingForm]):
    form_class = FamilyGroupDecisionMakingForm
    title = "Record family group decision-making"
    success_message = "Family group decision-making recorded"

    def get_initial(self) -> dict[str, Any]:
        p = self.proceedings
        if p.fgdm_facilitated is None:
            return {}
        return {
            "fgdm_facilitated": "yes" if p.fgdm_facilitated else "no",
            "fgdm_held_on": p.fgdm_held_on,
            "fgdm_note": p.fgdm_note,
        }

    def perform(self, form: FamilyGroupDecisionMakingForm) -> object:
        return actions.record_family_group_decision_making(
            acting_user=self.request.user, proceedings=self.proceedings, **form.cleaned_data
        )


class PreProceedingsMeetingView(OnPreProceedings[PreProceedingsMeetingForm]):
    form_class = PreProceedingsMeetingForm
    title = "Record a pre-proceedings meeting"
    success_message = "Meeting recorded"

    def perform(self, form: PreProceedingsMeetingForm) -> object:
        return actions.record_pre_proceedings_meeting(
            acting_user=self.request.user, proceedings=self.proceedings, **form.cleaned_data
        )


class EndPreProceedingsView(OnPreProceedings[EndPreProceedingsForm]):
    form_class = EndPreProceedingsForm
    title = "Record the decision to step up or down"
    success_message = "Decision recorded: pre-proceedings ended"

    def perform(self, form: EndPreProceedingsForm) -> object:
        return actions.end_pre_proceedings(
            acting_user=self.request.user, proceedings=self.proceedings, **form.cleaned_data
        )


class CourtApplicationView(OnPreProceedings[CourtApplicationForm]):
    form_class = CourtApplicationForm
    title = "Record the application for care proceedings"
    success_message = "Court application recorded"

    def get_initial(self) -> dict[str, Any]:
        return {
            "court_application_on": self.proceedings.court_application_on,
            "proceedings_letter_sent_on": self.proceedings.proceedings_letter_sent_on,
        }

    def perform(self, form: CourtApplicationForm) -> object:
        return actions.record_court_application(
            acting_user=self.request.user, proceedings=self.proceedings, **form.cleaned_data
        )
