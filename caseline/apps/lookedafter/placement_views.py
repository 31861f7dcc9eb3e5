"""Pages for the current placement's placement plan (CPPCR reg 9), notice (reg 13) and weekly
cost."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.lookedafter import actions, queries
from caseline.apps.lookedafter.placement_forms import (
    PlacementCostForm,
    PlacementNoticeForm,
    PlacementPlanForm,
)
from caseline.apps.lookedafter.views import CarePage


class PlacementPlanView(CarePage, ActionFormView[PlacementPlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = PlacementPlanForm
    title = "Record the placement plan"
    button = "Save the placement plan"
    success_message = "Placement plan recorded"
    intro = (
        "For the current placement: agreed with, and signed by, the carer or provider before "
        "the placement or within 5 working days of its start."
    )

    def perform(self, form: PlacementPlanForm) -> object:
        return actions.record_placement_plan(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class PlacementNoticeView(CarePage, ActionFormView[PlacementNoticeForm]):
    permission = Permission.CARE_RECORD
    form_class = PlacementNoticeForm
    title = "Record notice of the placement"
    button = "Save the notice"
    success_message = "Notice of the placement recorded"
    intro = (
        "Written notice of the current placement's arrangements to the child, their parents, "
        "the health body, GP, school, IRO and the others regulation 13 lists."
    )

    def perform(self, form: PlacementNoticeForm) -> object:
        return actions.record_placement_notice(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class PlacementCostView(CarePage, ActionFormView[PlacementCostForm]):
    permission = Permission.CARE_RECORD
    form_class = PlacementCostForm
    title = "Record the placement's weekly cost"
    button = "Save the weekly cost"
    success_message = "Weekly cost of the placement recorded"
    intro = (
        "What the current placement costs the council a week, from a day: for the section 251 "
        "return, and the SSD's finance table. A new rate is recorded from the day it applies."
    )

    def perform(self, form: PlacementCostForm) -> object:
        episode = queries.open_episode(self.person)
        if episode is None:
            raise ValidationError("The child is not looked after: there is no placement to cost")
        return actions.record_placement_cost(
            acting_user=self.request.user, episode=episode, **form.cleaned_data
        )
