"""Local practice standards for supervision and management oversight of a child's case."""

from __future__ import annotations

from caseline.apps.timescales.rules import Basis, Certainty, Interval, TimescaleRule

SUPERVISION = TimescaleRule(
    code="supervision",
    title="Case supervision",
    trigger="The last recorded supervision of the child's case (or the case being allocated)",
    completed_by="The next case supervision is recorded on the child's record",
    interval=Interval.weeks(4),
    source="Local practice standard (a common council standard; set locally)",
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: no national timescale exists; four-weekly case supervision is a "
        "typical local standard, and each council sets its own."
    ),
)

MANAGEMENT_OVERSIGHT = TimescaleRule(
    code="management-oversight",
    title="Management oversight of an open case",
    trigger="The last recorded management oversight (or the case being allocated)",
    completed_by="A manager records management oversight on the child's record",
    interval=Interval.months(3),
    source="Local practice standard (set locally)",
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: no national timescale exists; Ofsted expects oversight to be "
        "evident on the record, and three-monthly is a typical local standard."
    ),
)

RULES = (
    SUPERVISION,
    MANAGEMENT_OVERSIGHT,
)
