"""Pages for child in need plans: thin views that look up, bind a form, call an action."""

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
from caseline.apps.cin import actions, queries
from caseline.apps.cin.forms import (
    ActionForm,
    ActionStatusForm,
    EndPlanForm,
    OutcomeForm,
    PlanForm,
    ReviewForm,
    VisitForm,
)
from caseline.apps.cin.models import CINPlan, PlanAction, PlanOutcome
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.core.forms import add_action_errors
from caseline.apps.people.record import ChildRecordMixin

VISITS_ON_PLANS_PAGE = 5


add_errors = add_action_errors


def child_name(person: Any) -> str:
    return str(person.preferred_name or person.given_name)


class PlansView(ChildRecordMixin, TemplateView):
    """The child's plans: the current plan in full, its reviews, visits and what is due."""

    permission = Permission.CHILD_VIEW
    record_section = "plans"
    template_name = "cin/record_plans.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        plan = queries.current_plan_with_detail(self.person, today)
        visits = list(queries.visits_of(self.person)[:VISITS_ON_PLANS_PAGE])
        due = None
        if plan is not None:
            for outcome in plan.outcomes.all():
                for action in outcome.actions.all():
                    action.overdue = action.is_overdue(today)  # type: ignore[attr-defined]
            due = queries.plan_due(
                plan, plan.reviews.all(), queries.last_seen_on(self.person, today), today
            )
        context.update(
            plan=plan,
            today=today,
            due=due,
            review_colour=queries.tag_colour(due.review) if due else "",
            visit_colour=queries.tag_colour(due.visit) if due else "",
            visits=visits,
            past_plans=[p for p in queries.plans_of(self.person) if plan is None or p != plan],
            can_record=self.request.user.has_perm(Permission.PLAN_RECORD.django_name),
        )
        return context


class VisitListView(ChildRecordMixin, TemplateView):
    permission = Permission.CHILD_VIEW
    record_section = "plans"
    template_name = "cin/visit_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["visits"] = list(queries.visits_of(self.person))
        context["can_record"] = self.request.user.has_perm(Permission.PLAN_RECORD.django_name)
        return context


class CinFormView(ChildRecordMixin, FormView):  # type: ignore[type-arg]
    """A form on the child's plans; ``perform`` calls the action."""

    permission = Permission.PLAN_RECORD
    record_section = "plans"
    template_name = "cin/form.html"
    title: ClassVar[str]
    button: ClassVar[str] = "Save"
    success_message: ClassVar[str]

    def perform(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def plans_url(self) -> str:
        return reverse("cin:record-plans", kwargs={"person_id": self.person.pk})

    def get_success_url(self) -> str:
        return self.plans_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, button=self.button, back_href=self.plans_url())
        return context

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class PlanMixin:
    """Looks up the child's plan from ``plan_id`` (after the person's visibility check)."""

    kwargs: dict[str, Any]
    person: Any

    @cached_property
    def plan(self) -> CINPlan:
        return queries.get_plan(self.person, int(self.kwargs["plan_id"]))


class PlanCreateView(CinFormView):
    form_class = PlanForm
    title = "Start a child in need plan"
    button = "Start the plan"
    success_message = "Child in need plan started. Now add what we want to be different."

    def perform(self, data: dict[str, Any]) -> None:
        self.created = actions.start_plan(
            acting_user=self.request.user,
            child=self.person,
            start_date=data["start_date"],
            child_views=data["child_views"],
            family_views=data["family_views"],
        )

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        del form.fields["version"]
        return form

    def get_success_url(self) -> str:
        return reverse(
            "cin:outcome-new", kwargs={"person_id": self.person.pk, "plan_id": self.created.pk}
        )


class PlanEditView(PlanMixin, CinFormView):
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
            "version": plan.version,
        }

    def perform(self, data: dict[str, Any]) -> None:
        actions.update_plan(
            acting_user=self.request.user,
            plan=self.plan,
            read_version=data["version"] or 0,
            start_date=data["start_date"],
            child_views=data["child_views"],
            family_views=data["family_views"],
        )


class OutcomeCreateView(PlanMixin, CinFormView):
    form_class = OutcomeForm
    title = "Add an outcome"
    button = "Add the outcome"
    success_message = "Outcome added. Now add the actions that will make it happen."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        self.plan  # noqa: B018 - 404 before rendering if the plan is not this child's
        kwargs["child_name"] = child_name(self.person)
        return kwargs

    def perform(self, data: dict[str, Any]) -> None:
        self.created = actions.add_outcome(
            acting_user=self.request.user, plan=self.plan, outcome=data["outcome"]
        )

    def get_success_url(self) -> str:
        return reverse(
            "cin:action-new", kwargs={"person_id": self.person.pk, "outcome_id": self.created.pk}
        )


class ActionCreateView(CinFormView):
    form_class = ActionForm
    title = "Add an action"
    button = "Add the action"
    success_message = "Action added to the plan"

    @cached_property
    def outcome(self) -> PlanOutcome:
        return queries.get_outcome(self.person, int(self.kwargs["outcome_id"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = f"Outcome: {self.outcome.outcome}"
        return context

    def perform(self, data: dict[str, Any]) -> None:
        actions.add_action(
            acting_user=self.request.user,
            outcome=self.outcome,
            what=data["what"],
            who=data["who"],
            by_when=data["by_when"],
            how_we_will_know=data["how_we_will_know"],
        )


class ActionStatusView(CinFormView):
    form_class = ActionStatusForm
    title = "Update progress on an action"
    button = "Save progress"
    success_message = "Progress updated"

    @cached_property
    def action(self) -> PlanAction:
        return queries.get_action(self.person, int(self.kwargs["action_id"]))

    def get_initial(self) -> dict[str, Any]:
        return {"status": self.action.status, "status_note": self.action.status_note}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = f"Action: {self.action.what} ({self.action.who})"
        return context

    def perform(self, data: dict[str, Any]) -> None:
        actions.update_action_status(
            acting_user=self.request.user,
            action=self.action,
            status=data["status"],
            status_note=data["status_note"],
        )


class ReviewCreateView(PlanMixin, CinFormView):
    form_class = ReviewForm
    title = "Record a review of the plan"
    button = "Record the review"
    success_message = "Review recorded"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.plan  # noqa: B018 - 404 before rendering if the plan is not this child's
        return super().get_form_kwargs()

    def perform(self, data: dict[str, Any]) -> None:
        actions.record_review(
            acting_user=self.request.user,
            plan=self.plan,
            review_date=data["review_date"],
            progress=data["progress"],
            child_views=data["child_views"],
            decision=data["decision"],
        )


class PlanEndView(PlanMixin, CinFormView):
    form_class = EndPlanForm
    title = "End the child in need plan"
    button = "End the plan"
    success_message = "Plan ended"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.plan  # noqa: B018 - 404 before rendering if the plan is not this child's
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            "This ends the plan only. To close the child in need episode, close the referral."
        )
        return context

    def perform(self, data: dict[str, Any]) -> None:
        actions.end_plan(
            acting_user=self.request.user,
            plan=self.plan,
            end_date=data["end_date"],
            end_reason=data["end_reason"],
            end_note=data["end_note"],
        )


class VisitCreateView(CinFormView):
    form_class = VisitForm
    title = "Record a visit"
    button = "Record the visit"
    success_message = "Visit recorded"

    def perform(self, data: dict[str, Any]) -> None:
        actions.record_visit(
            acting_user=self.request.user,
            child=self.person,
            visit_date=data["visit_date"],
            child_seen=data["child_seen"],
            child_seen_alone=bool(data["child_seen_alone"]),
            seen_bedroom=data["seen_bedroom"],
            not_seen_reason=data["not_seen_reason"],
            purpose=data["purpose"],
            observations=data["observations"],
            child_views=data["child_views"],
        )
