"""Timescales for children looked after and care leavers (DOMAIN.md 1.4 and 1.5).

The app's record contribution brings ``RULES`` to the rule catalogue. The statutory rules come
from the Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959,
"CPPCR"), each with its regulation and paragraph; the certainty marks mirror DOMAIN.md. A rule
DOMAIN.md marks unchecked (or does not state) says "Unverified" in its certainty note, with
what Caseline assumed.

When each rule applies
    The CPPCR came into force on 1 April 2011 (regulation 1(1)). Where the rule that came
    before is catalogued (the 1991 review regulations), each has its dates (``applies_from``,
    ``applies_to``) and the rule in force on the trigger date judges the record
    (``CATALOGUE.in_force``). The placement plan has none before 1 April 2011 (regulation
    9(4): "as soon as reasonably practicable"). The other CPPCR rules are left open-ended
    backwards: Caseline catalogues no earlier rule for them, and an earlier record is better
    judged by the nearest rule known than by none.
"""

from __future__ import annotations

import datetime

from caseline.apps.timescales.rules import (
    Basis,
    Certainty,
    Interval,
    TimescaleRule,
)

CPPCR = "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959)"
CPPCR_IN_FORCE = datetime.date(2011, 4, 1)
BEFORE_CPPCR = datetime.date(2011, 3, 31)
REVIEWS_1991 = "Review of Children's Cases Regulations 1991 (SI 1991/895), regulation 3"
_REVIEWS_1991_NOTE = (
    "Seen only in secondary sources (DOMAIN.md 1.4: the 1991 regulations' 4 weeks, 3 months "
    "and 6 months); the regulation number is from memory, not checked."
)


# --- Care plan (CPPCR reg 4) ------------------------------------------------------------------

CARE_PLAN = TimescaleRule(
    code="lac-care-plan",
    title="Care plan",
    trigger="The child starts to be looked after",
    completed_by="The care plan, with its permanence plan, is recorded",
    interval=Interval.working_days(10),
    source=(
        f"{CPPCR}, regulation 4 (believed paragraph (2): the care plan before the child is "
        "first placed or, if that is not practicable, within 10 working days of the start of "
        "the first placement)"
    ),
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Unverified, not checked: the 10 working days and the paragraph are from memory "
        "(DOMAIN.md 1.4 and section 6, item 5; a council procedure manual says the same). "
        "Assumed: the first placement starts the day the child starts to be looked after."
    ),
    notes=(
        "Each placement also needs its own placement plan (regulation 9, "
        "``lac-placement-plan``): the care plan's placement plan text does not complete that."
    ),
)

# --- Placement plan and notice of the placement (CPPCR regs 9 and 13) ------------------------

PLACEMENT_PLAN = TimescaleRule(
    code="lac-placement-plan",
    title="Placement plan",
    trigger="The child starts a placement (every placement, the first included)",
    completed_by=(
        "The placement plan is agreed with, and signed by, the carer or provider (the "
        "appropriate person)"
    ),
    interval=Interval.working_days(5),
    source=(
        f"{CPPCR}, regulation 9(2) (if the plan cannot be prepared before the placement, "
        "within five working days of its start) and 9(3) (agreed with and signed by the "
        "appropriate person); regulation 9(4): none for placements made before 1 April 2011"
    ),
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Unverified, not checked: DOMAIN.md marks the timing as from memory. A stored copy "
        "of regulation 9 on legislation.gov.uk, read for this rule, says five working days "
        "from the start of the placement; no one has checked it against the current text. "
        "Assumed: day 0 is the day the placement starts, and a plan agreed before it is on "
        "time; a temporary move for a hospital stay or a holiday (903 T1, T2) is not a new "
        "placement."
    ),
    notes="Not for short breaks (regulation 48(3)(a)): their care plan covers them.",
    applies_from=CPPCR_IN_FORCE,
)

_NOTICE_COMPLETED = (
    "Written notice of the placement arrangements is given to those regulation 13(2) lists "
    "(the child, parents, those with contact, the previous carer, the health body, the GP, "
    "the school and the IRO) and, for a placement out of area, 13(4) (the area authority)"
)

PLACEMENT_NOTICE_EMERGENCY = TimescaleRule(
    code="lac-placement-notice-emergency",
    title="Notice of an emergency placement",
    trigger="A placement made in an emergency starts",
    completed_by=_NOTICE_COMPLETED,
    interval=Interval.working_days(5),
    source=(
        f"{CPPCR}, regulation 13(1) (if the placement is made in an emergency, notice within "
        "five working days of its start) and 13(2) (who is given notice)"
    ),
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "Until a notice is recorded Caseline does not know whether the placement was made in "
        "an emergency, so its due work shows this, the latest lawful date, for every "
        "placement. Not for short breaks (regulation 48(3)(b))."
    ),
)

PLACEMENT_NOTICE = TimescaleRule(
    code="lac-placement-notice",
    title="Notice of a placement",
    trigger="A planned placement (not made in an emergency) starts",
    completed_by=_NOTICE_COMPLETED,
    interval=Interval.working_days(0),
    source=f"{CPPCR}, regulation 13(1) (notice before the placement is made)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=(
        "Unverified, not checked: DOMAIN.md states only the emergency timescale. A stored copy of "
        "regulation 13(1), read for this rule, says notice is given before the placement is "
        "made. Assumed: Caseline records days, not hours, so notice on the day the placement "
        "starts counts as in time."
    ),
)

# --- Looked-after reviews (CPPCR reg 33) -----------------------------------------------------

_IRO_ASKS = "Earlier if the IRO asks (regulation 33(3)(a)): the IRO's date then applies."

REVIEW_FIRST = TimescaleRule(
    code="lac-review-first",
    title="First looked-after review",
    trigger="The child starts to be looked after (the start of the period of care)",
    completed_by="The first review of the child's case, chaired by the IRO",
    interval=Interval.working_days(20),
    source=f"{CPPCR}, regulation 33(1)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=f"{_IRO_ASKS} Before 1 April 2011 the 1991 regulations said 4 weeks.",
    applies_from=CPPCR_IN_FORCE,
)

REVIEW_FIRST_1991 = TimescaleRule(
    code="lac-review-first",
    title="First looked-after review",
    trigger="The child starts to be looked after (before 1 April 2011)",
    completed_by="The first review of the child's case",
    interval=Interval.weeks(4),
    source=f"{REVIEWS_1991} (first review within four weeks); replaced by the CPPCR",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_REVIEWS_1991_NOTE,
    applies_to=BEFORE_CPPCR,
)

REVIEW_SECOND = TimescaleRule(
    code="lac-review-second",
    title="Second looked-after review",
    trigger="The first looked-after review",
    completed_by="The second review of the child's case",
    interval=Interval.months(3),
    source=f"{CPPCR}, regulation 33(2) (not more than three months after the first)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=_IRO_ASKS,
    applies_from=CPPCR_IN_FORCE,
)

REVIEW_SECOND_1991 = TimescaleRule(
    code="lac-review-second",
    title="Second looked-after review",
    trigger="The first looked-after review (before 1 April 2011)",
    completed_by="The second review of the child's case",
    interval=Interval.months(3),
    source=f"{REVIEWS_1991} (not more than three months after the first); replaced by the CPPCR",
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_REVIEWS_1991_NOTE,
    applies_to=BEFORE_CPPCR,
)

REVIEW_LATER = TimescaleRule(
    code="lac-review-subsequent",
    title="Looked-after review",
    trigger="The previous looked-after review (the second or a later one)",
    completed_by="The next review of the child's case",
    interval=Interval.months(6),
    source=f"{CPPCR}, regulation 33(2) (later reviews at intervals of not more than six months)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=f"At most every 6 months. {_IRO_ASKS}",
    applies_from=CPPCR_IN_FORCE,
)

REVIEW_LATER_1991 = TimescaleRule(
    code="lac-review-subsequent",
    title="Looked-after review",
    trigger="The previous looked-after review (before 1 April 2011)",
    completed_by="The next review of the child's case",
    interval=Interval.months(6),
    source=(
        f"{REVIEWS_1991} (not more than six months after the previous review); replaced by "
        "the CPPCR"
    ),
    basis=Basis.STATUTORY,
    certainty=Certainty.SECONDARY,
    certainty_note=_REVIEWS_1991_NOTE,
    applies_to=BEFORE_CPPCR,
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
    source=f"{CPPCR}, regulation 28(2)(a) (within one week of the start of any placement)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
)

VISIT_CARE_ORDER_WITH_PARENT = TimescaleRule(
    code="lac-visit-care-order-parent",
    title="Visit after a care order (living with a parent)",
    trigger=(
        "A full care order (legal status C2) is made while the child lives with a parent "
        "(placement P1)"
    ),
    completed_by="A visit at which the child is seen",
    interval=Interval.weeks(1),
    source=f"{CPPCR}, regulation 28(5)(a) (within one week of the making of the care order)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "Then at intervals of not more than six weeks (regulation 28(5)(b), "
        "``lac-visit-six-weekly``). A child moved to a parent after the order was made has "
        "the visit within a week of the placement instead (regulation 28(2)(a))."
    ),
)

VISIT_FIRST_YEAR = TimescaleRule(
    code="lac-visit-six-weekly",
    title="Statutory visit",
    trigger="The previous visit at which the child was seen",
    completed_by="A visit at which the child is seen",
    interval=Interval.weeks(6),
    source=(
        f"{CPPCR}, regulation 28(2)(b) and (c)(ii) (every six weeks in the first year of a "
        "placement, and after it unless intended to last until 18), 28(3)(b) (placed with a "
        "parent before the assessment, after the first review) and 28(5)(b) (care order and "
        "living with a parent)"
    ),
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
    source=f"{CPPCR}, regulation 28(2)(c)(i)",
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
    source=(
        f"{CPPCR}, regulation 28(3)(a) and 28(4)(a) (at least once a week until the first review)"
    ),
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
    source=f"{CPPCR}, regulation 28(4)(b) (after the first review, every four weeks)",
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "After the first review, for a child with a connected person under temporary "
        "approval (regulation 24) or on an interim care order and living with a parent."
    ),
)

# --- Health ----------------------------------------------------------------------------------

_HEALTH_SOURCE = (
    f"{CPPCR}, regulation 7 (believed paragraph (1): health assessment before the child is "
    "first placed or, if not practicable, before the first review); "
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
    f"{CPPCR}, regulation 5(b)(ii) (the PEP is part of the care plan); Promoting the education of "
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
    source=(
        f"{CPPCR}, regulation 42(1) (the needs assessment not more than three months after "
        "the child reaches 16 or becomes an eligible child after that age) and regulation 43 "
        "(the pathway plan prepared from it)"
    ),
    basis=Basis.STATUTORY,
    certainty=Certainty.CHECKED,
    notes=(
        "Regulation 42 times the needs assessment; Caseline takes the pathway plan made from "
        "it as completing this, so a needs assessment alone does not."
    ),
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

# --- Short breaks (CPPCR reg 48) -------------------------------------------------------------

_SHORT_BREAKS = (
    f"{CPPCR}, regulation 48 (a series of short breaks: no single stay over 17 days and no "
    "more than 75 days in 12 months, regulation 48(2)(c))"
)
_SHORT_BREAKS_NOTE = (
    "Unverified, not checked: DOMAIN.md states only the 17-day and 75-day limits. Encoded "
    "from memory of regulation 48(3): instead of regulations 28(2) and 33, the first visit "
    "and the first review within three months of the start of the first short break, then "
    "visits and reviews at intervals of not more than six months (the paragraph letters "
    "are not checked; a council procedure manual says the same of the reviews). Assumed: a "
    "series begins with the first short break since the child was last looked after in the "
    "usual way (or after a gap of more than 12 months) and lapses 12 months after its "
    "latest break."
)

SHORT_BREAK_REVIEW_FIRST = TimescaleRule(
    code="lac-review-short-breaks-first",
    title="First short-break review",
    trigger="The start of the first short break of the series",
    completed_by="The first review of the child's case, chaired by the IRO",
    interval=Interval.months(3),
    source=f"{_SHORT_BREAKS}; believed regulation 48(3)(d)(i) (reviews)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=_SHORT_BREAKS_NOTE,
)

SHORT_BREAK_REVIEW = TimescaleRule(
    code="lac-review-short-breaks",
    title="Short-break review",
    trigger="The previous review of the child on short breaks",
    completed_by="The next review of the child's case",
    interval=Interval.months(6),
    source=f"{_SHORT_BREAKS}; believed regulation 48(3)(d)(ii) (reviews)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=_SHORT_BREAKS_NOTE,
)

SHORT_BREAK_VISIT_FIRST = TimescaleRule(
    code="lac-visit-short-breaks-first",
    title="First short-break visit",
    trigger="The start of the first short break of the series",
    completed_by="A visit on a day the child is on a short break, at which the child is seen",
    interval=Interval.months(3),
    source=f"{_SHORT_BREAKS}; regulation 48(3)(c)(i) (visits)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=_SHORT_BREAKS_NOTE,
    notes=(
        "Visits are on days the child is placed, at regular intervals agreed with the IRO "
        "and the parents and recorded in the care plan (regulation 48(3)(c)); these are "
        "the longest intervals the regulation allows."
    ),
)

SHORT_BREAK_VISIT = TimescaleRule(
    code="lac-visit-short-breaks",
    title="Short-break visit",
    trigger="The previous visit at which the child was seen on a short break",
    completed_by="A visit on a day the child is on a short break, at which the child is seen",
    interval=Interval.months(6),
    source=f"{_SHORT_BREAKS}; believed regulation 48(3)(c)(ii) (visits)",
    basis=Basis.STATUTORY,
    certainty=Certainty.UNCHECKED,
    certainty_note=_SHORT_BREAKS_NOTE,
)

RULES = (
    CARE_PLAN,
    PLACEMENT_PLAN,
    PLACEMENT_NOTICE_EMERGENCY,
    PLACEMENT_NOTICE,
    REVIEW_FIRST,
    REVIEW_FIRST_1991,
    REVIEW_SECOND,
    REVIEW_SECOND_1991,
    REVIEW_LATER,
    REVIEW_LATER_1991,
    REVIEW_MINUTES,
    VISIT_FIRST,
    VISIT_CARE_ORDER_WITH_PARENT,
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
    SHORT_BREAK_REVIEW_FIRST,
    SHORT_BREAK_REVIEW,
    SHORT_BREAK_VISIT_FIRST,
    SHORT_BREAK_VISIT,
)
