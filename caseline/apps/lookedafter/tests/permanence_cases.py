"""The adoption, previous permanence and deprivation of liberty actions, for
``test_permissions``' walk of every action: (action, permission, page, arguments). Their
targets (a decision, an order) are made here the first time a case asks, straight into the
database, so that no permission is needed to make them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from caseline.apps.accounts.permissions import Permission
from caseline.apps.lookedafter.actions import PartialDate
from caseline.apps.lookedafter.models import AdoptionDecision, DeprivationOfLibertyOrder

FUTURE = datetime.date(2099, 1, 1)
Arguments = Callable[[dict[str, Any]], dict[str, Any]]


def _decision(t: dict[str, Any]) -> AdoptionDecision:
    if "adoption_decision" not in t:
        t["adoption_decision"] = AdoptionDecision.objects.create(
            person=t["child"],
            recorded_by=t["iro"],
            decided_on=datetime.date(2025, 2, 3),
            decided_by="Agency decision maker Zed",
        )
    decision: AdoptionDecision = t["adoption_decision"]
    return decision


def _order(t: dict[str, Any]) -> DeprivationOfLibertyOrder:
    if "dolo" not in t:
        t["dolo"] = DeprivationOfLibertyOrder.objects.create(
            person=t["child"], recorded_by=t["iro"], start_date=datetime.date(2025, 2, 3)
        )
    order: DeprivationOfLibertyOrder = t["dolo"]
    return order


CARE = Permission.CARE_RECORD
PERMANENCE_CASES: list[tuple[str, Permission, str, Arguments]] = [
    (
        "record_adoption_decision",
        CARE,
        "adoption-decision",
        lambda t: {"child": t["child"], "decided_on": FUTURE, "decided_by": "Zed"},
    ),
    (
        "record_adoption_match",
        CARE,
        "adoption-match",
        lambda t: {
            "decision": _decision(t),
            "matched_on": FUTURE,
            "adopters_sex": "MF",
            "adopters_legal_status": "L11",
            "adopted_by_foster_carers": False,
        },
    ),
    (
        "record_adoption_decision_ceased",
        CARE,
        "adoption-ceased",
        lambda t: {"decision": _decision(t), "ceased_on": FUTURE, "reason_ceased": "RD1"},
    ),
    (
        "save_previous_permanence",
        CARE,
        "previous-permanence",
        lambda t: {
            "child": t["child"],
            "option": "P1",
            "arranged_by": "800",
            "order_date": PartialDate(2099),
        },
    ),
    (
        "record_deprivation_of_liberty",
        CARE,
        "dolo-new",
        lambda t: {"child": t["child"], "start_date": FUTURE, "end_date": None},
    ),
    (
        "end_deprivation_of_liberty",
        CARE,
        "dolo-end",
        lambda t: {"order": _order(t), "end_date": FUTURE},
    ),
]
