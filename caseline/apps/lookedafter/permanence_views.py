"""Pages for the child's adoption decisions, previous permanence and deprivation of liberty
orders: one page that shows them (as the care record is read), and a form page for each
action (care record permission)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.urls import reverse
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import AuthenticatedRequest, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.lookedafter import actions, permanence_queries
from caseline.apps.lookedafter.models import AdoptionDecision, DeprivationOfLibertyOrder
from caseline.apps.lookedafter.permanence_forms import (
    AdoptionCeasedForm,
    AdoptionDecisionForm,
    AdoptionMatchForm,
    DeprivationOfLibertyEndForm,
    DeprivationOfLibertyForm,
    PreviousPermanenceForm,
)
from caseline.apps.lookedafter.views import CarePage, label
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.timescales.rules import format_date


def permanence_url(person_id: int) -> str:
    return reverse("lookedafter:permanence", kwargs={"person_id": person_id})


class PermanenceView(ChildRecordMixin, TemplateView):
    """The child's decisions that they should be placed for adoption (with the matches and any
    ceasing), previous permanence before their latest period of care, and deprivation of
    liberty orders."""

    request: AuthenticatedRequest
    permission = Permission.CHILD_VIEW
    record_section = "care"
    template_name = "lookedafter/permanence.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = permanence_queries.permanence_record(self.person)
        previous = record.previous
        context.update(
            record=record,
            decisions=[
                {
                    "decision": d,
                    "adopters_sex": label(CodeListName.ADOPTER_SEX, d.adopters_sex),
                    "adopters_legal_status": label(
                        CodeListName.ADOPTER_LEGAL_STATUS, d.adopters_legal_status
                    ),
                    "reason_ceased": label(CodeListName.REASON_PLACED_CEASED, d.reason_ceased),
                }
                for d in record.decisions
            ],
            previous_option=(
                label(CodeListName.PREVIOUS_PERMANENCE, previous.option) if previous else ""
            ),
            can_care=user_can(self.request.user, Permission.CARE_RECORD),
        )
        return context


class PermanencePage(CarePage):
    """A form page of adoption and permanence, which a save and "Cancel" return to."""

    kwargs: dict[str, Any]

    def get_success_url(self) -> str:
        return permanence_url(self.person.pk)


class AdoptionDecisionView(PermanencePage, ActionFormView[AdoptionDecisionForm]):
    permission = Permission.CARE_RECORD
    form_class = AdoptionDecisionForm
    title = "Record a decision that the child should be placed for adoption"
    button = "Save the decision"
    success_message = "Decision recorded"
    intro = (
        "The local authority's decision, when its agency decision maker endorsed the adoption "
        "plan. An earlier decision must have ceased first."
    )

    def perform(self, form: AdoptionDecisionForm) -> object:
        return actions.record_adoption_decision(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class DecisionPage(PermanencePage):
    """A page about one of the child's adoption decisions (``decision_id`` in the URL)."""

    @cached_property
    def decision(self) -> AdoptionDecision:
        return permanence_queries.get_adoption_decision(
            self.person, int(self.kwargs["decision_id"])
        )

    def get_intro(self) -> str:
        d = self.decision
        return f"The decision of {format_date(d.decided_on)}, made by {d.decided_by}."


class AdoptionMatchView(DecisionPage, ActionFormView[AdoptionMatchForm]):
    permission = Permission.CARE_RECORD
    form_class = AdoptionMatchForm
    title = "Record the match with prospective adopters"
    button = "Save the match"
    success_message = "Match recorded"

    def get_initial(self) -> dict[str, Any]:
        d = self.decision
        if d.matched_on is None:
            return {}
        return {
            "matched_on": d.matched_on,
            "adopters_sex": d.adopters_sex,
            "adopters_legal_status": d.adopters_legal_status,
            "adopted_by_foster_carers": "yes" if d.adopted_by_foster_carers else "no",
        }

    def perform(self, form: AdoptionMatchForm) -> object:
        return actions.record_adoption_match(
            acting_user=self.request.user, decision=self.decision, **form.cleaned_data
        )


class AdoptionCeasedView(DecisionPage, ActionFormView[AdoptionCeasedForm]):
    permission = Permission.CARE_RECORD
    form_class = AdoptionCeasedForm
    title = "Record that the child should no longer be placed for adoption"
    button = "Save"
    success_message = "Decision recorded as ceased"

    def perform(self, form: AdoptionCeasedForm) -> object:
        return actions.record_adoption_decision_ceased(
            acting_user=self.request.user, decision=self.decision, **form.cleaned_data
        )


class PreviousPermanenceView(PermanencePage, ActionFormView[PreviousPermanenceForm]):
    permission = Permission.CARE_RECORD
    form_class = PreviousPermanenceForm
    title = "Previous permanence"
    button = "Save"
    success_message = "Previous permanence saved"

    def get_intro(self) -> str:
        period = permanence_queries.latest_period(self.person)
        if period is None:
            return ""
        return (
            f"For the period of care that began on {format_date(period.start_date)}. Change "
            "it if more comes to light."
        )

    def get_initial(self) -> dict[str, Any]:
        period = permanence_queries.latest_period(self.person)
        saved = permanence_queries.previous_permanence_for(period)
        if saved is None:
            return {}
        return {
            "option": saved.option,
            "arranged_by": saved.arranged_by,
            "order_date": actions.PartialDate(saved.order_year, saved.order_month, saved.order_day),
        }

    def perform(self, form: PreviousPermanenceForm) -> object:
        return actions.save_previous_permanence(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class DeprivationOfLibertyView(PermanencePage, ActionFormView[DeprivationOfLibertyForm]):
    permission = Permission.CARE_RECORD
    form_class = DeprivationOfLibertyForm
    title = "Record a deprivation of liberty order"
    button = "Save the order"
    success_message = "Deprivation of liberty order recorded"
    intro = "A court order authorising depriving the child of their liberty while looked after."

    def perform(self, form: DeprivationOfLibertyForm) -> object:
        return actions.record_deprivation_of_liberty(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class DeprivationOfLibertyEndView(PermanencePage, ActionFormView[DeprivationOfLibertyEndForm]):
    permission = Permission.CARE_RECORD
    form_class = DeprivationOfLibertyEndForm
    title = "Record the end of the deprivation of liberty order"
    button = "Save"
    success_message = "End of the order recorded"

    @cached_property
    def order(self) -> DeprivationOfLibertyOrder:
        return permanence_queries.get_deprivation_of_liberty_order(
            self.person, int(self.kwargs["order_id"])
        )

    def get_intro(self) -> str:
        return f"The order that started on {format_date(self.order.start_date)}."

    def get_initial(self) -> dict[str, Any]:
        return {"end_date": self.order.end_date}

    def perform(self, form: DeprivationOfLibertyEndForm) -> object:
        return actions.end_deprivation_of_liberty(
            acting_user=self.request.user, order=self.order, **form.cleaned_data
        )
