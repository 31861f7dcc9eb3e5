"""Local practice standards for children in need plans, reviews and visits.

There is no national statutory timescale for a child in need plan, its reviews or visits
(DOMAIN.md 1.2): each council sets its own. These rules are Caseline's shipped defaults, all
``Basis.LOCAL_STANDARD``, so an administrator may override the interval.
"""

from __future__ import annotations

from caseline.apps.timescales.rules import (
    Basis,
    Certainty,
    Interval,
    TimescaleRule,
)

_LOCAL = (
    "Local practice standard. No national timescale: Working Together to Safeguard Children "
    "sets none for child in need plans, reviews or visits (DOMAIN.md 1.2)."
)
_LOCAL_NOTE = (
    "There is no statutory timescale to check; local norms vary (seen only in secondary "
    "sources such as LA procedure manuals). The interval is Caseline's default: set your "
    "council's own standard."
)


CIN_PLAN_START = TimescaleRule(
    code="cin-plan-start",
    title="Child in need plan",
    trigger="A manager authorises an assessment that recommends a child in need plan",
    completed_by="The child in need plan starts",
    interval=Interval.working_days(10),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.SECONDARY,
    certainty_note=_LOCAL_NOTE,
    notes="Local norms for the first planning meeting are 10 to 15 working days.",
)

CIN_PLAN_REVIEW = TimescaleRule(
    code="cin-plan-review",
    title="Child in need plan review",
    trigger="The plan starts (first review), then each review of the plan",
    completed_by="The plan is reviewed with the child, family and professionals",
    interval=Interval.months(3),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.SECONDARY,
    certainty_note=_LOCAL_NOTE,
    notes=(
        "First review within 3 months of the plan starting, then every 3 months. The local "
        "norms DOMAIN.md 1.2 gives as examples are every 6 to 12 weeks: Caseline's default "
        "is a little longer than the longest of them, so set your council's own."
    ),
)

CIN_VISIT = TimescaleRule(
    code="cin-visit",
    title="Child in need visit",
    trigger="The plan starts, then each visit at which the child is seen",
    completed_by="A visit at which the child is seen",
    interval=Interval.working_days(20),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Unverified, not checked: there is no statutory timescale, and DOMAIN.md states no "
        "local norm for child in need visits (only for plans and reviews). The 20 working "
        "days is Caseline's assumed default: set your council's own standard."
    ),
    notes=(
        "At least every 20 working days while a plan is open. Local standards vary, "
        "commonly between 10 and 20 working days. A visit at which the child was not seen "
        "does not restart the clock."
    ),
)

RULES = (
    CIN_PLAN_START,
    CIN_PLAN_REVIEW,
    CIN_VISIT,
)
