"""Adoption and deprivation of liberty in the child's chronology: the decision that the child
should be placed for adoption, the match with adopters, the decision ceasing, and each
deprivation of liberty order starting and ending.

Two queries at most, one a kind of record, and none for a kind the child has none of
(``held``). Previous permanence is not an event of this child's time in care (its date may be
known only in part), so it is on the record, not in the chronology.
"""

from __future__ import annotations

from django.urls import reverse

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.text import excerpt, lower_first, sentence
from caseline.apps.lookedafter.chronology import SOURCE
from caseline.apps.lookedafter.models import AdoptionDecision, DeprivationOfLibertyOrder
from caseline.apps.people.contribution import Category, ChronologyEntry, Step
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.timescales.rules import format_date

WHY_ADOPTION = "The plan for the child's permanent home is adoption."
WHY_MATCHED = "The child's future family has been chosen."
WHY_NOT_ADOPTION = "The child will no longer be adopted: the plan for their permanent home changes."
WHY_DOLO = "A court authorised depriving the child of their liberty."

# The adopters (903 SEX_ADOPTR), as a sentence says them.
ADOPTERS = {
    "M1": "a single man",
    "F1": "a single woman",
    "MM": "a male couple",
    "FF": "a female couple",
    "MF": "a male and female couple",
}


def _adopters(decision: AdoptionDecision) -> str:
    who = ADOPTERS.get(decision.adopters_sex, "prospective adopters")
    if decision.adopted_by_foster_carers:
        return f"{who}, their foster carers"
    return who


def _reason(decision: AdoptionDecision) -> str:
    label = code_list(CodeListName.REASON_PLACED_CEASED).label(decision.reason_ceased)
    return lower_first(label)


def permanence_chronology(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
    """The child's adoption decisions and deprivation of liberty orders, as events."""
    name = person.given_name
    href = reverse("lookedafter:permanence", kwargs={"person_id": person.pk})
    entries: list[ChronologyEntry] = []
    decisions = (
        held.rows(AdoptionDecision).select_related("recorded_by").order_by("decided_on", "id")
    )
    for decision in decisions:
        by = str(decision.recorded_by)
        notes = f" {sentence(excerpt(decision.notes))}" if decision.notes else ""
        entries.append(
            ChronologyEntry(
                date=decision.decided_on,
                category=Category.PLAN,
                what_happened=f"Decision that {name} should be placed for adoption, made by "
                f"the agency decision maker, {decision.decided_by}.{notes}",
                source=SOURCE,
                recorded_by=by,
                why_it_matters=WHY_ADOPTION,
                significant=True,
                href=f"{href}#adoption",
                step=Step.DECISION,
            )
        )
        if decision.matched_on is not None:
            entries.append(
                ChronologyEntry(
                    date=decision.matched_on,
                    category=Category.PLAN,
                    what_happened=f"{name} was matched with prospective adopters: "
                    f"{_adopters(decision)}.",
                    source=SOURCE,
                    recorded_by=by,
                    why_it_matters=WHY_MATCHED,
                    significant=True,
                    href=f"{href}#adoption",
                    step=Step.DECISION,
                )
            )
        if decision.ceased_on is not None:
            entries.append(
                ChronologyEntry(
                    date=decision.ceased_on,
                    category=Category.PLAN,
                    what_happened=f"Decision that {name} should no longer be placed for "
                    f"adoption (the decision of {format_date(decision.decided_on)}). "
                    f"Reason: {_reason(decision)}.",
                    source=SOURCE,
                    recorded_by=by,
                    why_it_matters=WHY_NOT_ADOPTION,
                    significant=True,
                    href=f"{href}#adoption",
                    step=Step.ENDING,
                )
            )
    orders = (
        held.rows(DeprivationOfLibertyOrder)
        .select_related("recorded_by")
        .order_by("start_date", "id")
    )
    for order in orders:
        by = str(order.recorded_by)
        notes = f" {sentence(excerpt(order.notes))}" if order.notes else ""
        entries.append(
            ChronologyEntry(
                date=order.start_date,
                category=Category.CARE,
                what_happened=f"A deprivation of liberty order for {name} started.{notes}",
                source=SOURCE,
                recorded_by=by,
                why_it_matters=WHY_DOLO,
                significant=True,
                href=f"{href}#deprivation-of-liberty",
                step=Step.CARE,
            )
        )
        if order.end_date is not None:
            entries.append(
                ChronologyEntry(
                    date=order.end_date,
                    category=Category.CARE,
                    what_happened=f"The deprivation of liberty order for {name} of "
                    f"{format_date(order.start_date)} ended.",
                    source=SOURCE,
                    recorded_by=by,
                    href=f"{href}#deprivation-of-liberty",
                    step=Step.ENDING,
                )
            )
    return entries
