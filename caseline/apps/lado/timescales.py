"""Timescales for allegations against adults who work with children: ``RULES``.

Working Together to Safeguard Children 2023 (chapter 2, "Managing allegations against people
who work with children") and Keeping children safe in education ask that allegations are
dealt with quickly, fairly and consistently, but set no numbered timescale for the designated
officer's steps. The days below are local practice standards, as councils publish them in
their allegations procedures; each council sets its own.
"""

from __future__ import annotations

from caseline.apps.timescales.rules import Basis, Certainty, Interval, TimescaleRule

_LOCAL = (
    "Local practice standard under Working Together to Safeguard Children 2023, chapter 2 "
    "(managing allegations against people who work with children), which sets no number of days"
)

INITIAL_CONSIDERATION = TimescaleRule(
    code="lado-initial-consideration",
    title="LADO initial consideration",
    trigger="The designated officer receives the allegation",
    completed_by="The designated officer decides whether the allegation meets the threshold",
    interval=Interval.working_days(1),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.SECONDARY,
    certainty_note=(
        "One working day is seen only in councils' published LADO procedures (for example "
        "Cheshire East's one-minute guide: an initial response within one working day); not "
        "checked against the text of Working Together 2023, which states no number of days."
    ),
)

STRATEGY_MEETING = TimescaleRule(
    code="lado-strategy-meeting",
    title="LADO strategy meeting",
    trigger="The initial consideration that found the threshold met",
    completed_by="The first strategy (allegation management) meeting is held",
    interval=Interval.working_days(5),
    source=_LOCAL,
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.SECONDARY,
    certainty_note=(
        "Five working days is one council's published standard (Cheshire East: an allegation "
        "management meeting within five working days of the decision); others use 72 hours. "
        "Not checked against any national text: set your council's own."
    ),
)

RULES = (INITIAL_CONSIDERATION, STRATEGY_MEETING)
