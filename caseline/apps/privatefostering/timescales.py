"""Timescales for private fostering (Children (Private Arrangements for Fostering)
Regulations 2005, SI 2005/1533) and young carers' needs assessments.

Regulation 8(1) (visits at intervals of not more than six weeks in the first year and 12
weeks in any later year) and 8(6) (the arrangement is deemed to begin when the authority
become aware of it) were read on legislation.gov.uk (uksi/2005/1533/regulation/8/made).
Regulation 4(1) (a proposed arrangement: an officer visits "within seven working days") was
read only as the regulations are reproduced in a council's copy of the National Minimum
Standards, and regulation 7 (an arrangement already in place) in secondary sources only.
"""

from __future__ import annotations

from caseline.apps.timescales.rules import Basis, Certainty, Interval, TimescaleRule

FIRST_VISIT = TimescaleRule(
    code="private-fostering-first-visit",
    title="First visit to a privately fostered child",
    trigger="The authority is notified of the private fostering arrangement",
    completed_by="An officer visits the child and the carer's home and records the visit",
    interval=Interval.working_days(7),
    source=(
        "Children (Private Arrangements for Fostering) Regulations 2005, regulation 4(1) "
        "(a proposed arrangement) and regulation 7(1) (an arrangement already in place)"
    ),
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=(
        "Regulation 4(1)'s seven working days was read in a council's reproduction of the "
        "regulations, not on legislation.gov.uk; regulation 7(1)'s, for an arrangement already "
        "in place, only in secondary sources."
    ),
)

VISIT_FIRST_YEAR = TimescaleRule(
    code="private-fostering-visit-first-year",
    title="Visit to a privately fostered child (first year)",
    trigger="The last visit, in the first year after the authority became aware of the arrangement",
    completed_by="The next visit is recorded",
    interval=Interval.weeks(6),
    source="Children (Private Arrangements for Fostering) Regulations 2005, regulation 8(1)(a)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "Regulation 8(6): the arrangement is deemed to begin when the authority become aware "
        "of it, so the first year runs from the notification."
    ),
)

VISIT_LATER_YEARS = TimescaleRule(
    code="private-fostering-visit-later-years",
    title="Visit to a privately fostered child (second and later years)",
    trigger="The last visit, a year or more after the authority became aware of the arrangement",
    completed_by="The next visit is recorded",
    interval=Interval.weeks(12),
    source="Children (Private Arrangements for Fostering) Regulations 2005, regulation 8(1)(b)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
)

ASSESSMENT_DECISION = TimescaleRule(
    code="private-fostering-decision",
    title="Decision on the suitability of a private fostering arrangement",
    trigger="The authority is notified of the private fostering arrangement",
    completed_by="A manager records the decision on the arrangement's suitability",
    interval=Interval.working_days(42),
    source="Local practice standard (set locally)",
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: the regulations set no time for the decision (regulation 4(2) and 7(2) "
        "ask for a written report after the first visit); 42 working days is a common local "
        "standard, and each council sets its own."
    ),
)

YOUNG_CARER_ASSESSMENT = TimescaleRule(
    code="young-carer-assessment",
    title="Young carer's needs assessment",
    trigger="The authority becomes aware that the child may be a young carer",
    completed_by="The young carer's needs assessment is recorded as done",
    interval=Interval.working_days(45),
    source=(
        "Children Act 1989 s.17ZA (inserted by Children and Families Act 2014 s.96); "
        "the time is a local standard"
    ),
    basis=Basis.LOCAL_STANDARD,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: s.17ZA sets the duty to assess on request or on the appearance of "
        "need, but no time; 45 working days follows Working Together's assessment "
        "timescale by local choice."
    ),
)

RULES = (
    FIRST_VISIT,
    VISIT_FIRST_YEAR,
    VISIT_LATER_YEARS,
    ASSESSMENT_DECISION,
    YOUNG_CARER_ASSESSMENT,
)
