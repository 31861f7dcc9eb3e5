"""What the front door contributes to a child's record: summary, identity bar, due work,
chronology, and who needs allocating."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.links import url_builder
from caseline.apps.frontdoor.chronology import frontdoor_chronology
from caseline.apps.frontdoor.models import ContactPerson, Referral
from caseline.apps.frontdoor.queries import decision_due_date, referrals_for
from caseline.apps.people.contribution import (
    Badge,
    DueItem,
    PersonIds,
    RecordContribution,
    SummaryBlock,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import current_allocation
from caseline.apps.timescales.rules import CONTACT_DECISION, assess_timeliness, format_date


def why_involved(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """ "Why we are involved": the open referral and who holds the case."""
    referral = next(
        (r for r in referrals_for(person) if r.closed_on is None and r.referral_date <= as_at),
        None,
    )
    if referral is None:
        return []
    rows = [
        ("Referral date", format_date(referral.referral_date)),
        ("Source", code_list(CodeListName.REFERRAL_SOURCE).label(referral.source)),
        (
            "Primary need",
            code_list(CodeListName.PRIMARY_NEED).label(referral.primary_need)
            if referral.primary_need
            else "Not yet recorded",
        ),
        ("Re-referral within 12 months", "Yes" if referral.is_re_referral else "No"),
    ]
    allocation = current_allocation(person)
    if allocation is None:
        rows.append(("Allocated to", "Not allocated"))
    else:
        who = allocation.worker.get_full_name() if allocation.worker else "No worker yet"
        rows.append(("Allocated to", f"{who}, {allocation.team}"))
    return [
        SummaryBlock(
            order=10,
            title="Why we are involved",
            rows=rows,
            link_text="Contacts and episodes",
            link_href=reverse("frontdoor:record-episodes", kwargs={"person_id": person.pk}),
        )
    ]


def open_episode_badge(person: Person, as_at: datetime.date) -> list[Badge]:
    """ "Open episode" while the child has an open referral."""
    is_open = Referral.objects.filter(
        person=person, closed_on__isnull=True, referral_date__lte=as_at
    ).exists()
    return [Badge("Open episode", "blue")] if is_open else []


def contact_decisions_work(person_ids: PersonIds, as_at: datetime.date) -> list[DueItem]:
    """Each undecided contact about each child, due 1 working day after receipt (1 query).

    A contact about two of the children is an item for each of them. Items come by child,
    then oldest contact first.
    """
    subjects = ContactPerson.objects.filter(
        role=ContactPerson.Role.SUBJECT, contact__decision=""
    ).order_by("person_id", "contact__received_at", "contact_id")
    # One child's record: the child's own contacts. Several children: the whole front door
    # queue (undecided contacts, a few hundred at most, read from contact_undecided_idx and
    # contact_subject_idx alone: under 2 ms), keeping those about the children. Naming the
    # children in the query made each database go the slow way for one of them: PostgreSQL
    # through every contact of a team's children (8,000 for 248 children, 11 ms), SQLite
    # looking up every pair of queued contact and child (65,000 for the same team).
    if len(person_ids) == 1:
        subjects = subjects.filter(person_id__any_of=person_ids)
    wanted = set(person_ids)
    decide = url_builder("frontdoor:contact-decide", "pk")
    zone = timezone.get_current_timezone()
    return [
        DueItem(
            person_id=person_id,
            title="Contact decision",
            rule_code=CONTACT_DECISION.code,
            timeliness=assess_timeliness(decision_due_date(received_at, zone), None, as_at),
            href=decide(pk=contact_id),
            permission=Permission.CONTACT_DECIDE,
        )
        for person_id, contact_id, received_at in subjects.values_list(
            "person_id", "contact_id", "contact__received_at"
        )
        if person_id in wanted
    ]


def open_referral() -> Q:
    """Children with an open referral: those who allocate work see them while nobody is
    allocated (``people.queries.visible_people``)."""
    return Q(Exists(Referral.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)))


# Why we are involved, the open episode, contact decisions due, and the contacts,
# referrals, early help and allocations in the chronology.
CONTRIBUTION = RecordContribution(
    app_label="frontdoor",
    summary_blocks=why_involved,
    badges=open_episode_badge,
    due_for=contact_decisions_work,
    chronology=frontdoor_chronology,
    needs_allocation=open_referral,
)
