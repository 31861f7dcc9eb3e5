"""Where census items come from that are not one field of the record copied as it stands.

One small function per item, so that each choice the census makes about the record is made here
and nowhere else. Each says what it reads and why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence

from caseline.apps.people.models import Person
from caseline.apps.protection.models import Conference, ProtectionPlan, Section47Enquiry

# Ethnicity "Information not yet obtained" (CIN census ethnicity code set): what a record with
# no ethnicity holds, said the census's way. Ethnicity must be present (rule 4220).
ETHNICITY_NOT_OBTAINED = "NOBT"


def ethnicity(person: Person) -> str:
    """The child's ethnicity code, or NOBT when none is recorded."""
    return person.ethnicity or ETHNICITY_NOT_OBTAINED


def former_upn(person: Person) -> str:
    """The UPN the child had before their current one (FormerUPN, ``Person.former_upn``), or
    "" when none is recorded. Its format is the UPN's (rule 1560Q queries one that is not)."""
    return person.former_upn


def upn_unknown_reason(person: Person) -> str:
    """Why the child has no UPN (UPNunknown, UN1 to UN7: ``Person.upn_unknown_reason``), or ""
    when none is recorded. Only for a child with no UPN: a child has one or the other (rule
    8770Q asks for a reason where the UPN is missing), so a UPN, when recorded, is what the
    census gives and a stale reason beside it is left out."""
    return "" if person.upn else person.upn_unknown_reason


def conference_not_required_on(enquiry: Section47Enquiry) -> datetime.date | None:
    """When it was decided that the enquiry needs no initial conference
    (``Section47Enquiry.icpc_not_required``, recorded at completion or by a later decision),
    or None when that has not been decided. A decision recorded without its date
    (``icpc_not_required_on``) is taken as made when the enquiry was completed."""
    if not enquiry.icpc_not_required:
        return None
    return enquiry.icpc_not_required_on or enquiry.completed_on


def conference_not_required(
    enquiry: Section47Enquiry, conference_held: datetime.date | None, reference_date: datetime.date
) -> bool:
    """ICPCnotRequired: whether, by the reference date, it had been decided that the enquiry
    needs no initial conference (the recorded decision, never worked out from the outcome).

    A decision made after the reference date is not shown, as nothing after it is (the
    census describes the year as it stood on 31 March; rules 8715 and 8696 refuse later
    dates): the enquiry was still open on 31 March, so the census gives 0 and no conference
    date. The DfE's rules then read it as an open enquiry: 8675Q queries one that started more
    than 15 working days before the reference date (the authority gives the reason: it ended
    after 31 March), 8740 requires it to have started in the year (an enquiry carried over
    from the year before is a question for the authority, not something to hide), and 8868
    refuses it in an episode closed in the year (an episode cannot close with its enquiry
    open). An enquiry with its conference held is never also shown as not requiring one
    (rule 8868)."""
    decided = conference_not_required_on(enquiry)
    return conference_held is None and decided is not None and decided <= reference_date


def previous_plan_counts(
    plans_in_order: Iterable[ProtectionPlan], plans_before_caseline: Mapping[int, int]
) -> dict[int, int]:
    """NumberOfPreviousCPP for each plan, by plan id, worked out for a batch of children at
    once as ``protection.queries.previous_plan_count`` works it out for one plan: the plans
    the child had before Caseline (``ProtectionHistory.plans_before_caseline``, by person
    id; none recorded is 0) and their plans in Caseline that started before this one (on an
    earlier day or, on the same day, recorded earlier).

    ``plans_in_order`` must hold every plan of each child that started on or before the
    latest plan asked about, ordered by start date and then id."""
    counts: dict[int, int] = {}
    earlier: dict[int, int] = {}
    for plan in plans_in_order:
        before = earlier.get(plan.person_id, 0)
        counts[plan.pk] = plans_before_caseline.get(plan.person_id, 0) + before
        earlier[plan.person_id] = before + 1
    return counts


def latest_category(plan: ProtectionPlan, reviews: Sequence[Conference], on: datetime.date) -> str:
    """The plan's category of abuse as it stood on ``on``: the one the last review conference
    held by then set, else the initial one. A plan whose reviews set no category at all is
    taken at its word (``latest_category``). ``reviews`` are the plan's, oldest first."""
    categorised = [review for review in reviews if review.category]
    if not categorised:
        return plan.latest_category
    held = [review for review in categorised if review.conference_date <= on]
    return held[-1].category if held else plan.initial_category
