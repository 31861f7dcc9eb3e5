"""Timescales for child protection (DOMAIN.md 1.3): ``RULES``, which the app's record
contribution brings to the rule catalogue.

The conference, first core group and review conference timescales come from Working Together
(statutory guidance), seen in LA procedure manuals that quote it. Core group and visit
frequencies are local standards: each council sets its own, and each plan may set its own.
"""

from __future__ import annotations

from caseline.apps.timescales.rules import (
    Basis,
    Certainty,
    Interval,
    TimescaleRule,
)

_WT = "Working Together to Safeguard Children 2010, 2013, 2018 and 2023"
_WT_NOTE = (
    "Seen only in local authority procedure manuals quoting Working Together (DOMAIN.md 1.3); "
    "check the paragraph in Working Together 2023 before relying on it."
)
_LOCAL = "Local practice standard: there is no national frequency (DOMAIN.md 1.3)."
_LOCAL_NOTE = (
    "No statutory timescale to check; local norms are seen only in secondary sources (LA "
    "procedure manuals). The interval is Caseline's default: set your council's own, or the "
    "plan's own."
)


ICPC = TimescaleRule(
    code="icpc",
    title="Initial child protection conference",
    trigger="The strategy discussion at which the section 47 enquiry was started",
    completed_by="The initial child protection conference is held",
    interval=Interval.working_days(15),
    source=_WT,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_WT_NOTE,
    notes=(
        "Where there was more than one strategy discussion, count from the one at which "
        "the section 47 enquiry was started (the DfE's S47ActualStartDate)."
    ),
)

TRANSFER_IN_CONFERENCE = TimescaleRule(
    code="transfer-in-conference",
    title="Transfer-in child protection conference",
    trigger="Notification that a child on a plan elsewhere has moved permanently here",
    completed_by="The transfer-in conference is held",
    interval=Interval.working_days(15),
    source=_WT,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_WT_NOTE,
)

FIRST_CORE_GROUP = TimescaleRule(
    code="core-group-first",
    title="First core group meeting",
    trigger="The initial child protection conference",
    completed_by="The first core group meeting is held",
    interval=Interval.working_days(10),
    source=f"{_WT}, flow chart 5",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_WT_NOTE,
)

CORE_GROUP = TimescaleRule(
    code="core-group",
    title="Core group meeting",
    trigger="The last core group meeting",
    completed_by="The next core group meeting is held",
    interval=Interval.weeks(4),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.SECONDARY,
    certainty_note=_LOCAL_NOTE,
    notes="Local norms are every 4 to 6 weeks.",
)

FIRST_REVIEW_CONFERENCE = TimescaleRule(
    code="rcpc-first",
    title="First review child protection conference",
    trigger="The initial child protection conference",
    completed_by="The first review conference is held",
    interval=Interval.months(3),
    source=_WT,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_WT_NOTE,
)

REVIEW_CONFERENCE = TimescaleRule(
    code="rcpc",
    title="Review child protection conference",
    trigger="The last review conference",
    completed_by="The next review conference is held",
    interval=Interval.months(6),
    source=_WT,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_WT_NOTE,
    notes="At intervals of no more than 6 months while the plan lasts.",
)

CP_VISIT = TimescaleRule(
    code="cp-visit",
    title="Child protection visit",
    trigger="The plan starts, then each visit at which the child is seen",
    completed_by="A visit at which the child is seen",
    interval=Interval.working_days(10),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.SECONDARY,
    certainty_note=_LOCAL_NOTE,
    notes=(
        "Local minimums vary: every 10 working days (Camden, Liverpool, Central "
        "Bedfordshire), 2-weekly, or 4-weekly. A visit where the child was not seen does "
        "not restart the clock."
    ),
)

RULES = (
    ICPC,
    TRANSFER_IN_CONFERENCE,
    FIRST_CORE_GROUP,
    CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    REVIEW_CONFERENCE,
    CP_VISIT,
)
