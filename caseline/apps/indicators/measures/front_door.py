"""Front-door indicators: contacts decided in time, contacts by outcome, referrals and
re-referrals."""

from __future__ import annotations

import datetime
import functools
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.db import connection
from django.db.models import Min, Q
from django.utils import timezone

from caseline.apps.core.local_days import local_date
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.indicators.engine import (
    Area,
    Context,
    Counted,
    Indicator,
    Kind,
    working_days,
)
from caseline.apps.returns.cohorts import in_span
from caseline.apps.timescales.calendar import add_calendar_months, add_days
from caseline.apps.timescales.rules import CATALOGUE, CONTACT_DECISION

WT_REFERRAL_URL = (
    "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
)
CIN_STATS_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need"
)
RE_REFERRAL_MONTHS = 12


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``start`` and of the day after ``end``, in local time."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(datetime.datetime.combine(add_days(end, 1), datetime.time.min))
    return first, after


class _Contact(NamedTuple):
    """A contact as the front-door indicators read it: days in local time, and its children.
    ``decided`` and ``decision`` are blank when the decision came after the as-at date."""

    pk: int
    received: datetime.date
    decided: datetime.date | None
    decision: str
    source: str
    children: tuple[int, ...]


# A contact's child, as the front door's indicators read it: the contact, the child, the days
# it was received and decided in local time, its decision and its source.
_ContactRow = tuple[int, int, datetime.date, datetime.date | None, str, str]


def _contact_rows(context: Context) -> Iterable[_ContactRow]:
    """A row for each child of each contact received in the period, the contacts in the order
    received, the database working out the local days (``core.local_days``: half the CPU
    time of reading the moments and converting them here, at 74,000 contacts). PostgreSQL
    joins the children to their contacts in one query; SQLite, which plans that join poorly
    (FD1 half as slow again at 38,000 contacts), reads the contacts, then their children by
    id. A decision counts only up to the as-at date, so its day need be exact only to then."""
    first, after = _bounds(context.period.start, context.period.end)
    start, end, as_at = context.period.start, context.period.end, context.as_at
    if connection.vendor == "postgresql":
        return (
            ContactPerson.objects.filter(
                role=ContactPerson.Role.SUBJECT,
                person__merged_into__isnull=True,
                contact__received_at__gte=first,
                contact__received_at__lt=after,
                **context.among(),
            )
            .order_by("contact__received_at", "contact_id", "person_id")
            .values_list(
                "contact_id",
                "person_id",
                local_date("contact__received_at", start, end),
                local_date("contact__decided_at", start, as_at),
                "contact__decision",
                "contact__source",
            )
        )
    in_period = Contact.objects.filter(received_at__gte=first, received_at__lt=after)
    contacts = list(
        in_period.order_by("received_at", "id").values_list(
            "id",
            local_date("received_at", start, end),
            local_date("decided_at", start, as_at),
            "decision",
            "source",
        )
    )
    children: dict[int, list[int]] = defaultdict(list)
    for contact_id, person_id in (
        ContactPerson.objects.filter(
            contact_id__in=in_period.values("id"),
            role=ContactPerson.Role.SUBJECT,
            person__merged_into__isnull=True,
            **context.among(),
        )
        .order_by("contact_id", "person_id")
        .values_list("contact_id", "person_id")
    ):
        children[contact_id].append(person_id)
    return (
        (pk, person_id, received, decided, decision, source)
        for pk, received, decided, decision, source in contacts
        for person_id in children[pk]
    )


def _contacts(context: Context) -> list[_Contact]:
    """The contacts about a child received in the period, read once for every front-door
    indicator (a team's: a contact about none of its children is left out)."""

    def load() -> list[_Contact]:
        found: list[_Contact] = []
        for pk, rows in itertools.groupby(_contact_rows(context), key=operator.itemgetter(0)):
            first_row, *others = rows
            _, person_id, received, decided, decision, source = first_row
            known = decided is not None and decided <= context.as_at and bool(decision)
            found.append(
                _Contact(
                    pk,
                    received,
                    decided if known else None,
                    decision if known else "",
                    source,
                    (person_id, *(row[1] for row in others)),
                )
            )
        return found

    value = context.shared("contacts", load)
    assert isinstance(value, list)
    return value


@functools.lru_cache(maxsize=2048)
def _decision_due(received: datetime.date) -> datetime.date:
    """When a decision on a contact received that day is due (the rule in force then)."""
    rule = CATALOGUE.in_force(CONTACT_DECISION.code, received) or CONTACT_DECISION
    return rule.due_date(received)


def contacts_decided_in_time(context: Context) -> Iterator[Counted]:
    for contact in _contacts(context):
        due = _decision_due(contact.received)
        decided = contact.decided
        if decided is None and due >= context.as_at:
            continue  # still within its working day: not yet judged
        on_time = decided is not None and decided <= due
        taken = working_days(contact.received, decided) if decided else None
        for person_id in contact.children:
            yield Counted(
                person_id,
                on_time,
                (
                    ("Contact received", contact.received),
                    ("Decision due", due),
                    ("Decided", decided),
                    ("Working days taken", taken),
                ),
                what=f"Contact {contact.pk}",
            )


def contacts_by_outcome(context: Context) -> Iterator[Counted]:
    labels = dict(Contact.Decision.choices)
    for contact in _contacts(context):
        outcome = labels.get(contact.decision, "Not yet decided")
        for person_id in contact.children:
            yield Counted(
                person_id,
                True,
                (("Contact received", contact.received), ("Decided", contact.decided)),
                group=str(outcome),
                what=f"Contact {contact.pk} (source {contact.source})",
            )


def contacts_to_referral(context: Context) -> Iterator[Counted]:
    for contact in _contacts(context):
        if contact.decided is None:
            continue  # not decided as at the date: no outcome yet
        for person_id in contact.children:
            yield Counted(
                person_id,
                contact.decision == Contact.Decision.REFERRAL,
                (("Contact received", contact.received), ("Decided", contact.decided)),
                what=f"Contact {contact.pk}",
            )


def referrals_to_assessment(context: Context) -> Iterator[Counted]:
    period, as_at = context.period, context.as_at
    referrals = (
        Referral.objects.filter(
            referral_date__range=(period.start, period.end), person__merged_into__isnull=True
        )
        .annotate(
            first_started=Min(
                "assessments__start_date", filter=Q(assessments__start_date__lte=as_at)
            )
        )
        .order_by("referral_date", "id")
        .values_list("person_id", "referral_date", "first_started")
    )
    for person_id, referral_date, first in referrals:
        yield Counted(
            person_id,
            first is not None,
            (("Referral", referral_date), ("Assessment started", first)),
            what=f"Referral on {referral_date:%-d %B %Y}",
        )


class _Referral(NamedTuple):
    """A referral as the referral indicators read it."""

    referral_date: datetime.date
    source: str


def _referral_history(context: Context) -> dict[int, list[_Referral]]:
    """Each child's referrals from 12 months before the period to its end, oldest first, read
    once for the referral indicators."""

    def load() -> dict[int, list[_Referral]]:
        start = add_calendar_months(context.period.start, -RE_REFERRAL_MONTHS)
        in_period_children = Referral.objects.filter(
            referral_date__range=(context.period.start, context.period.end),
            person__merged_into__isnull=True,
        ).values("person_id")
        history: dict[int, list[_Referral]] = defaultdict(list)
        for person_id, referral_date, source in (
            Referral.objects.filter(
                person_id__in=in_period_children,
                referral_date__range=(start, context.period.end),
            )
            .order_by("person_id", "referral_date", "id")
            .values_list("person_id", "referral_date", "source")
        ):
            history[person_id].append(_Referral(referral_date, source))
        return history

    value = context.shared("referral-history", load)
    assert isinstance(value, dict)
    return value


def referrals(context: Context) -> Iterator[Counted]:
    for person_id, history in _referral_history(context).items():
        for referral in history:
            if in_span(referral.referral_date, context.period):
                yield Counted(
                    person_id,
                    True,
                    (("Referral", referral.referral_date),),
                    group=f"Source {referral.source}",
                    what=f"Referral on {referral.referral_date:%-d %B %Y}",
                )


def re_referrals(context: Context) -> Iterator[Counted]:
    for person_id, history in _referral_history(context).items():
        for referral in history:
            if not in_span(referral.referral_date, context.period):
                continue
            since = add_calendar_months(referral.referral_date, -RE_REFERRAL_MONTHS)
            earlier = [
                r.referral_date
                for r in history
                if since <= r.referral_date < referral.referral_date
            ]
            previous = earlier[-1] if earlier else None
            yield Counted(
                person_id,
                previous is not None,
                (
                    ("Referral", referral.referral_date),
                    ("12 months before", since),
                    ("Previous referral", previous),
                ),
                what=f"Referral on {referral.referral_date:%-d %B %Y}",
            )


CONTACTS_DECIDED_IN_TIME = Indicator(
    code="FD1",
    name="Contacts decided within one working day",
    area=Area.FRONT_DOOR,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the contacts about a child received in the period, the share on which a decision "
        "about the response was made within one working day of receipt. A contact still "
        "within its working day on the as-at date is not yet counted; one about several "
        "children counts once for each."
    ),
    numerator="Contacts decided on or before their due date (one working day after receipt)",
    denominator="Contacts received in the period, decided or past their due date",
    unit="contacts (per child)",
    source=(
        'Working Together to Safeguard Children 2018, chapter 1 "Referral": a decision on '
        "the type of response within one working day (a local measure: the DfE publishes none)"
    ),
    source_url=WT_REFERRAL_URL,
    compute=contacts_decided_in_time,
    higher_is_better=True,
    day_counting=(
        "The day the contact is received is day 0; it is due on the next working day (the "
        "timescale rule contact-decision). Weekends and England and Wales bank holidays are "
        "not working days."
    ),
    unverified="Not a DfE measure: no published method to check against.",
)

CONTACTS_BY_OUTCOME = Indicator(
    code="FD2",
    name="Contacts by outcome",
    area=Area.FRONT_DOOR,
    kind=Kind.COUNT,
    definition=(
        "Contacts about a child received in the period, by what was decided (as at the as-at "
        "date); the drill-down names each contact's source."
    ),
    numerator="Contacts received in the period",
    denominator="-",
    unit="contacts (per child)",
    source="Ofsted ILACS Annex A, list 1 (contacts)",
    source_url="https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018",
    compute=contacts_by_outcome,
    groups="The decision on the contact",
)

REFERRALS = Indicator(
    code="FD3",
    name="Referrals",
    area=Area.FRONT_DOOR,
    kind=Kind.COUNT,
    definition="Referrals to children's social care in the period, by source.",
    numerator="Referrals with a referral date in the period",
    denominator="-",
    unit="referrals",
    source="DfE CIN census (CINreferralDate, ReferralSource); Characteristics of children in need",
    source_url=CIN_STATS_URL,
    compute=referrals,
    groups="Referral source (CIN census code)",
)

RE_REFERRALS = Indicator(
    code="FD4",
    name="Re-referrals within 12 months",
    area=Area.FRONT_DOOR,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the referrals in the period, the share made within 12 months of a previous "
        "referral of the same child, measured from the previous referral's date. Every "
        "referral counts (a child can count more than once), and a previous referral counts "
        "whatever came of it, no further action included."
    ),
    numerator="Referrals with an earlier referral of the child in the 12 months before",
    denominator="Referrals in the period",
    unit="referrals",
    source="DfE Characteristics of children in need, re-referrals (DOMAIN.md §2)",
    source_url=CIN_STATS_URL,
    compute=re_referrals,
    higher_is_better=False,
    day_counting=(
        "12 calendar months back from the referral date (31 August back to 31 August; 29 "
        "February back to 28 February), the day 12 months before included; a referral on "
        "the same day as another is not a re-referral."
    ),
    unverified=(
        "Whether the DfE counts 12 months as calendar months or 365 days, and whether a "
        "referral that ended in no further action counts as a previous one, are not checked "
        "(both taken as here)."
    ),
)

CONTACTS_TO_REFERRAL = Indicator(
    code="FD5",
    name="Contacts that led to a referral",
    area=Area.FRONT_DOOR,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the contacts about a child received in the period and decided by the as-at date, "
        "the share decided as a referral to children's social care (a local conversion rate)."
    ),
    numerator="Contacts decided as a referral",
    denominator="Contacts received in the period and decided by the as-at date",
    unit="contacts (per child)",
    source="Local measure of the front door's conversion (Ofsted ILACS: the front door)",
    source_url="https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018",
    compute=contacts_to_referral,
)

REFERRALS_TO_ASSESSMENT = Indicator(
    code="FD6",
    name="Referrals that led to an assessment",
    area=Area.FRONT_DOOR,
    kind=Kind.PERCENTAGE,
    definition=(
        "Of the referrals in the period, the share for which an assessment had started by the "
        "as-at date (a local conversion rate)."
    ),
    numerator="Referrals with an assessment started by the as-at date",
    denominator="Referrals in the period",
    unit="referrals",
    source="DfE CIN census (CINreferralDate, AssessmentActualStartDate); a local measure",
    source_url=CIN_STATS_URL,
    compute=referrals_to_assessment,
)

INDICATORS = (
    CONTACTS_DECIDED_IN_TIME,
    CONTACTS_BY_OUTCOME,
    REFERRALS,
    RE_REFERRALS,
    CONTACTS_TO_REFERRAL,
    REFERRALS_TO_ASSESSMENT,
)
