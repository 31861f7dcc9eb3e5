"""Retention's pages: what falls due in the next 90 days, approving a destruction, holds."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.people.models import Person
from caseline.apps.people.queries import get_person_for_user
from caseline.apps.retention import actions, queries
from caseline.apps.retention.forms import ApproveDestructionForm, LiftHoldForm, PlaceHoldForm
from caseline.apps.retention.models import LegalHold, RetentionReview
from caseline.apps.retention.schedule import SCHEDULE, rule_version


class DueView(PermissionRequiredMixin, TemplateView):
    """Records due for destruction now and in the next 90 days, the schedule, the proof kept.

    The list names children, so it is audited as an export is: one event, and one per child.
    """

    permission = Permission.RETENTION_APPROVE
    template_name = "retention/due.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = queries.due_page(self.request.user, today)
        with transaction.atomic():
            record_export(
                acting_user=self.request.user,
                export_name="retention-due-list",
                subject_person_ids=[row.person.pk for row in rows],
            )
        context.update(
            today=today,
            until=queries.add_days(today, queries.DUE_SOON_DAYS),
            days=queries.DUE_SOON_DAYS,
            due_now=[r for r in rows if r.falling.governing.keep_until <= today],
            due_soon=[r for r in rows if r.falling.governing.keep_until > today],
            schedule=SCHEDULE,
            destroyed=queries.destroyed_reviews(),
        )
        return context


class ApproveView(PermissionRequiredMixin, ActionFormView[ApproveDestructionForm]):
    """Approve the destruction of one record a review lists: shown the person, the rule and
    its date, the approver confirms; the record is destroyed at once, in one transaction."""

    permission = Permission.RETENTION_APPROVE
    template_name = "retention/approve.html"
    form_class = ApproveDestructionForm
    title = "Approve destruction"
    button = "Destroy the record"
    review: RetentionReview
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.review = get_object_or_404(
                RetentionReview, pk=kwargs["review_id"], status=RetentionReview.Status.DUE
            )
            self.person = get_person_for_user(request.user, self.review.subject_person_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            review=self.review,
            person=self.person,
            rule=rule_version(self.review.rule_code, self.review.rule_version),
        )
        return context

    def perform(self, form: ApproveDestructionForm) -> RetentionReview:
        return actions.approve_destruction(acting_user=self.request.user, review=self.review)

    def get_success_message(self) -> str:
        return (
            f"Record P{self.review.subject_person_id:07d} destroyed under {self.result.rule_code}"
        )

    def get_success_url(self) -> str:
        return reverse("retention:due")


class PlaceHoldView(PermissionRequiredMixin, ActionFormView[PlaceHoldForm]):
    """Place a legal hold on a child's record."""

    permission = Permission.RETENTION_APPROVE
    template_name = "retention/hold.html"
    form_class = PlaceHoldForm
    title = "Place a legal hold"
    button = "Place the hold"
    success_message = "Legal hold placed: the record will not be destroyed while it stands"
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.person = get_person_for_user(request.user, kwargs["person_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        return context

    def perform(self, form: PlaceHoldForm) -> LegalHold:
        return actions.place_hold(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("retention:due")


class LiftHoldView(PermissionRequiredMixin, ActionFormView[LiftHoldForm]):
    """Lift a legal hold, saying why."""

    permission = Permission.RETENTION_APPROVE
    template_name = "retention/hold.html"
    form_class = LiftHoldForm
    title = "Lift a legal hold"
    button = "Lift the hold"
    success_message = "Legal hold lifted"
    hold: LegalHold
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.hold = get_object_or_404(LegalHold, pk=kwargs["hold_id"], lifted_at__isnull=True)
            self.person = get_person_for_user(request.user, self.hold.person_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, hold=self.hold)
        return context

    def perform(self, form: LiftHoldForm) -> LegalHold:
        return actions.lift_hold(acting_user=self.request.user, hold=self.hold, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("retention:due")
