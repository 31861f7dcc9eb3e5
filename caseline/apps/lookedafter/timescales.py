"""Timescales for children looked after and care leavers (DOMAIN.md 1.4 and 1.5).

The app's record contribution brings ``RULES`` to the rule catalogue. The statutory rules come
from the Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959,
"CPPCR"); the certainty marks mirror DOMAIN.md.
"""

from __future__ import annotations

from caseline.apps.timescales.rules import (
    Basis,
    Certainty,
    Interval,
    TimescaleRule,
)

CPPCR = "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959)"


# --- Care plan (CPPCR reg 4) ------------------------------------------------------------------

CARE_PLAN = TimescaleRule(
    code="lac-care-plan",
    title="Care plan",
    trigger="The child starts to be looked after",
    completed_by="The care plan, with its permanence plan, is recorded",
    interval=Interval.working_days(10),
    source=f"{CPPCR}, regulation 4 (care plan before placement, or within 10 working days)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: the 10 working days (and 5 for the placement plan, regulation 9) "
        "are from memory (DOMAIN.md 1.4 and section 6, item 5)."
    ),
    notes="Caseline records the placement plan with the care plan, so one date covers both.",
)

# --- Looked-after reviews (CPPCR reg 33) -----------------------------------------------------

REVIEW_FIRST = TimescaleRule(
    code="lac-review-first",
    title="First looked-after review",
    trigger="The child starts to be looked after (the start of the period of care)",
    completed_by="The first review of the child's case, chaired by the IRO",
    interval=Interval.working_days(20),
    source=f"{CPPCR}, regulation 33",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes="Earlier if the IRO asks. Before 2011 the 1991 regulations said 4 weeks.",
)

REVIEW_SECOND = TimescaleRule(
    code="lac-review-second",
    title="Second looked-after review",
    trigger="The first looked-after review",
    completed_by="The second review of the child's case",
    interval=Interval.months(3),
    source=f"{CPPCR}, regulation 33",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
)

REVIEW_LATER = TimescaleRule(
    code="lac-review-subsequent",
    title="Looked-after review",
    trigger="The previous looked-after review (the second or a later one)",
    completed_by="The next review of the child's case",
    interval=Interval.months(6),
    source=f"{CPPCR}, regulation 33",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes="At most every 6 months; earlier if the IRO asks.",
)

REVIEW_MINUTES = TimescaleRule(
    code="lac-review-minutes",
    title="Record of the looked-after review",
    trigger="The looked-after review",
    completed_by="The IRO completes the written record (minutes) of the review",
    interval=Interval.working_days(20),
    source="IRO Handbook (2010), chapter 3, on the written record of the review",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: the 20 working days for the full written record is from memory of "
        "the IRO Handbook and is not in DOMAIN.md. Check the handbook before relying on it."
    ),
)

# --- Statutory visits (CPPCR reg 28) ---------------------------------------------------------

VISIT_FIRST = TimescaleRule(
    code="lac-visit-first",
    title="Visit after a placement",
    trigger="The child moves into a placement (any placement change)",
    completed_by="A visit at which the child is seen",
    interval=Interval.weeks(1),
    source=f"{CPPCR}, regulation 28",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
)

VISIT_FIRST_YEAR = TimescaleRule(
    code="lac-visit-six-weekly",
    title="Statutory visit",
    trigger="The previous visit at which the child was seen",
    completed_by="A visit at which the child is seen",
    interval=Interval.weeks(6),
    source=f"{CPPCR}, regulation 28",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "At most every 6 weeks in the first year of a placement, and after it unless the "
        "placement is intended to last until the child is 18. Also the frequency, after "
        "the first review, for a child placed with a parent before the assessment is "
        "complete, and for a child on a care order living with a parent."
    ),
)

VISIT_LONG_TERM = TimescaleRule(
    code="lac-visit-long-term",
    title="Statutory visit (long-term placement)",
    trigger="The previous visit at which the child was seen",
    completed_by="A visit at which the child is seen",
    interval=Interval.months(3),
    source=f"{CPPCR}, regulation 28",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes="After the first year of a placement intended to last until the child is 18.",
)

VISIT_WEEKLY = TimescaleRule(
    code="lac-visit-weekly",
    title="Weekly visit until the first review",
    trigger="The previous visit at which the child was seen (or the placement)",
    completed_by="A visit at which the child is seen",
    interval=Interval.weeks(1),
    source=f"{CPPCR}, regulation 28",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "Placed with a parent before the assessment is complete (regulation 19), with a "
        "connected person under temporary approval (regulation 24), or on an interim care "
        "order and living with a parent: weekly until the first review."
    ),
)

VISIT_FOUR_WEEKLY = TimescaleRule(
    code="lac-visit-four-weekly",
    title="Statutory visit (four-weekly)",
    trigger="The previous visit at which the child was seen",
    completed_by="A visit at which the child is seen",
    interval=Interval.weeks(4),
    source=f"{CPPCR}, regulation 28",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "After the first review, for a child with a connected person under temporary "
        "approval (regulation 24) or on an interim care order and living with a parent."
    ),
)

# --- Health ----------------------------------------------------------------------------------

_HEALTH_SOURCE = (
    f"{CPPCR}, regulation 7 (assessment before placement or the first review); "
    "Promoting the health and wellbeing of looked-after children, statutory guidance (2015)"
)
_HEALTH_NOTE = (
    "Seen only in secondary sources (LA procedure manuals quoting the 2015 statutory "
    "guidance, DOMAIN.md 1.4). Regulation 7 itself is checked."
)

HEALTH_INITIAL = TimescaleRule(
    code="lac-health-initial",
    title="Initial health assessment",
    trigger="The child starts to be looked after",
    completed_by="The initial health assessment is done",
    interval=Interval.working_days(20),
    source=_HEALTH_SOURCE,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_HEALTH_NOTE,
)

HEALTH_REVIEW_UNDER_5 = TimescaleRule(
    code="lac-health-review-under-5",
    title="Review health assessment (under 5)",
    trigger="The previous health assessment, when the child was under 5 at it",
    completed_by="A review health assessment",
    interval=Interval.months(6),
    source=_HEALTH_SOURCE,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_HEALTH_NOTE,
)

HEALTH_REVIEW = TimescaleRule(
    code="lac-health-review",
    title="Review health assessment",
    trigger="The previous health assessment, when the child was 5 or over at it",
    completed_by="A review health assessment",
    interval=Interval.months(12),
    source=_HEALTH_SOURCE,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_HEALTH_NOTE,
    notes="Caseline takes the child's age on the day of the previous assessment.",
)

# --- Education -------------------------------------------------------------------------------

_PEP_SOURCE = (
    f"{CPPCR}, regulation 5 (the PEP is part of the care plan); Promoting the education of "
    "looked-after children and previously looked-after children, statutory guidance"
)

PEP_INITIAL = TimescaleRule(
    code="lac-pep-initial",
    title="Personal education plan",
    trigger="The child starts to be looked after",
    completed_by="The first personal education plan meeting",
    interval=Interval.working_days(20),
    source=_PEP_SOURCE,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=(
        "Seen only in secondary sources: the PEP should be ready for the first review "
        "(20 working days); 10 working days after an emergency placement is not modelled."
    ),
)

PEP_REVIEW = TimescaleRule(
    code="lac-pep-review",
    title="Personal education plan review",
    trigger="The previous personal education plan meeting",
    completed_by="The next personal education plan meeting",
    interval=Interval.months(4),
    source=_PEP_SOURCE,
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=(
        "Termly review is seen only in secondary sources. A school term is not a fixed "
        "length: Caseline approximates 'termly' as at most 4 calendar months."
    ),
)

# --- Care leavers (Care Leavers (England) Regulations 2010; CPPCR Part 7) ----------------------

PATHWAY_PLAN = TimescaleRule(
    code="care-leaver-pathway-plan",
    title="Needs assessment and pathway plan",
    trigger="An eligible child's 16th birthday (or becoming eligible, if later)",
    completed_by="The needs assessment is done and the pathway plan prepared",
    interval=Interval.months(3),
    source=f"{CPPCR}, regulation 42",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
)

PATHWAY_PLAN_REVIEW = TimescaleRule(
    code="care-leaver-pathway-review",
    title="Pathway plan review",
    trigger="The pathway plan or its previous review",
    completed_by="The pathway plan is reviewed",
    interval=Interval.months(6),
    source="Care Leavers (England) Regulations 2010 (SI 2010/2571) and CPPCR Part 7",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: the 6-monthly review of the pathway plan in England is from memory "
        "(DOMAIN.md 1.5 and section 6, item 5)."
    ),
)

BIRTHDAY_CONTACT = TimescaleRule(
    code="care-leaver-birthday-contact",
    title="Care leaver contact around the birthday",
    trigger="The care leaver's birthday (ages 17 to 21; 22 to 25 only if in touch)",
    completed_by=("Contact that records whether in touch, accommodation and activity (903 OC3)"),
    interval=Interval.months(1),
    source="DfE SSDA903 guide, OC3 (care leavers' information around their birthday)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Not checked: the ages are checked (DOMAIN.md 1.5), but the window of 3 months "
        "before to 1 month after the birthday is from memory of the 903 guide."
    ),
    notes="Contact from 3 months before the birthday counts towards it.",
)

RULES = (
    CARE_PLAN,
    REVIEW_FIRST,
    REVIEW_SECOND,
    REVIEW_LATER,
    REVIEW_MINUTES,
    VISIT_FIRST,
    VISIT_FIRST_YEAR,
    VISIT_LONG_TERM,
    VISIT_WEEKLY,
    VISIT_FOUR_WEEKLY,
    HEALTH_INITIAL,
    HEALTH_REVIEW_UNDER_5,
    HEALTH_REVIEW,
    PEP_INITIAL,
    PEP_REVIEW,
    PATHWAY_PLAN,
    PATHWAY_PLAN_REVIEW,
    BIRTHDAY_CONTACT,
)
