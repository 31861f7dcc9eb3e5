"""Where census items come from that the record does not hold as one field of its own.

One small function per item, so that when the record gains the field the census reads it here
and nowhere else. Each says what it returns today and what it will read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from caseline.apps.people.models import Person
from caseline.apps.protection.models import Section47Enquiry

# Ethnicity "Information not yet obtained" (CIN census ethnicity code set): what a record with
# no ethnicity holds, said the census's way. Ethnicity must be present (rule 4220).
ETHNICITY_NOT_OBTAINED = "NOBT"


def ethnicity(person: Person) -> str:
    """The child's ethnicity code, or NOBT when none is recorded."""
    return person.ethnicity or ETHNICITY_NOT_OBTAINED


def former_upn(person: Person) -> str:
    """The child's former UPN (FormerUPN). The record holds none yet: always ""."""
    return ""


def upn_unknown_reason(person: Person) -> str:
    """Why the child has no UPN (UPNunknown, UN1 to UN7). The record holds no reason yet, and
    Caseline does not guess one: always ""."""
    return ""


def conference_not_required(
    enquiry: Section47Enquiry, conference_held: datetime.date | None, reference_date: datetime.date
) -> bool:
    """Whether the enquiry ended, by the reference date, deciding no initial conference was
    needed (ICPCnotRequired): completed with an outcome other than a conference, and no
    conference held. Derived from the enquiry's outcome until the record holds the decision."""
    return (
        conference_held is None
        and enquiry.completed_on is not None
        and enquiry.completed_on <= reference_date
        and enquiry.outcome != Section47Enquiry.Outcome.CONFERENCE
    )


def previous_plans(start: datetime.date, starts_of_child: Iterable[datetime.date]) -> int:
    """How many child protection plans the child had before the one starting on ``start``
    (NumberOfPreviousCPP): this authority's plans that started earlier, as
    ``protection.queries.previous_plans`` counts them. Plans in other authorities are not
    recorded yet."""
    return sum(1 for other in starts_of_child if other < start)
