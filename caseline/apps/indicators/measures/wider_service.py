"""The wider service Ofsted looks at: private fostering, young carers and whether looked-after
children and care leavers have been told about the Children in Care Council, advocacy,
independent visitors and how to complain (issue 21)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.db.models import Min, Q

from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind
from caseline.apps.indicators.measures.looked_after import care_history
from caseline.apps.indicators.measures.workforce import LEAVERS
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.models import SHORT_BREAK_STATUSES
from caseline.apps.privatefostering.models import (
    Arrangement,
    ParticipationKind,
    ParticipationRecord,
    Told,
    YoungCarerAssessment,
)
from caseline.apps.privatefostering.timescales import FIRST_VISIT

PF_REGULATIONS = "https://www.legislation.gov.uk/uksi/2005/1533/contents/made"
S17ZA = "https://www.legislation.gov.uk/ukpga/1989/41/section/17ZA"
ILACS = "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018"


def _notifications(context: Context) -> list[Arrangement]:
    period = context.period
    return list(
        Arrangement.objects.filter(
            notified_on__range=(period.start, period.end), person__merged_into__isnull=True
        )
        .annotate(
            first_visit=Min("visits__visit_date", filter=Q(visits__visit_date__lte=context.as_at))
        )
        .only("id", "person_id", "notified_on", "notified_by")
        .order_by("notified_on", "id")
    )


def notifications(context: Context) -> Iterator[Counted]:
    for arrangement in _notifications(context):
        yield Counted(
            arrangement.person_id,
            True,
            (("Notified", arrangement.notified_on),),
            group=arrangement.notifier_label,
            what=f"Notification on {arrangement.notified_on:%d/%m/%Y}",
        )


def first_visits_in_time(context: Context) -> Iterator[Counted]:
    for arrangement in _notifications(context):
        due = FIRST_VISIT.due_date(arrangement.notified_on, context.calendar)
        visited = arrangement.first_visit  # type: ignore[attr-defined]
        yield Counted(
            arrangement.person_id,
            visited is not None and visited <= due,
            (("Notified", arrangement.notified_on), ("Due", due), ("First visit", visited)),
            what=f"Notification on {arrangement.notified_on:%d/%m/%Y}",
        )


def _young_carers(context: Context) -> list[YoungCarerAssessment]:
    period = context.period
    return list(
        YoungCarerAssessment.objects.filter(
            identified_on__range=(period.start, period.end), person__merged_into__isnull=True
        )
        .only("id", "person_id", "identified_on", "assessed_on")
        .order_by("identified_on", "id")
    )


def young_carers_identified(context: Context) -> Iterator[Counted]:
    for row in _young_carers(context):
        yield Counted(row.person_id, True, (("Identified", row.identified_on),))


def young_carers_assessed(context: Context) -> Iterator[Counted]:
    for row in _young_carers(context):
        assessed = row.assessed_on if row.assessed_on and row.assessed_on <= context.as_at else None
        yield Counted(
            row.person_id,
            assessed is not None,
            (("Identified", row.identified_on), ("Assessed", assessed)),
        )


LOOKED_AFTER = "Looked after"
CARE_LEAVER = "Care leaver"


def _participation_cohort(context: Context) -> dict[int, str]:
    """The children looked after on the as-at date (short breaks apart) and the care leavers
    (relevant and former relevant) on it, each with which of the two they are. Loaded once for
    the PA indicators."""

    def load() -> dict[int, str]:
        as_at, history = context.as_at, care_history(context)
        episodes, people = history.episodes, history.people
        cohort: dict[int, str] = {}
        for person_id, care in sorted(episodes.items()):
            if any(
                e.legal_status not in SHORT_BREAK_STATUSES
                and (e.end_date is None or e.end_date > as_at)
                for e in care
            ):
                cohort[person_id] = LOOKED_AFTER
            elif derive.care_leaver_status(people[person_id], care, as_at) in LEAVERS:
                cohort[person_id] = CARE_LEAVER
        return cohort

    value = context.shared("participation-cohort", load)
    assert isinstance(value, dict)
    return value


def _first_told(context: Context) -> dict[tuple[int, str], datetime.date]:
    """When each child of the cohort was first told about each thing, by the as-at date."""

    def load() -> dict[tuple[int, str], datetime.date]:
        cohort = _participation_cohort(context)
        return {
            (person_id, subject): first
            for person_id, subject, first in ParticipationRecord.objects.filter(
                person_id__any_of=sorted(cohort), kind=ParticipationKind.TOLD, on__lte=context.as_at
            )
            .values("person_id", "subject")
            .annotate(first=Min("on"))
            .values_list("person_id", "subject", "first")
        }

    value = context.shared("participation-told", load)
    assert isinstance(value, dict)
    return value


def _told_about(subject: Told) -> Callable[[Context], Iterator[Counted]]:
    def compute(context: Context) -> Iterator[Counted]:
        told = _first_told(context)
        for person_id, group in _participation_cohort(context).items():
            day = told.get((person_id, subject.value))
            dates = ((f"Told about {subject.mid_sentence}", day),)
            yield Counted(person_id, day is not None, dates, group=group)

    return compute


def _told_indicator(code: str, subject: Told) -> Indicator:
    what = subject.mid_sentence
    return Indicator(
        code=code,
        name=f"Children looked after and care leavers told about {what}",
        area=Area.WIDER_SERVICE,
        reads_care=True,
        kind=Kind.PERCENTAGE,
        definition="Of the children looked after on the as-at date (short breaks apart) and "
        "the care leavers on it (relevant and former relevant), the share recorded as told "
        f"about {what} on or before it; by looked after and care leaver.",
        numerator=f"Children and young people recorded as told about {what}",
        denominator="Children looked after on the as-at date, short breaks (V3, V4) apart, and "
        "relevant and former relevant care leavers",
        unit="children",
        source="Ofsted ILACS: children's participation (no national measure)",
        source_url=ILACS,
        compute=_told_about(subject),
        groups="Looked after or care leaver",
        higher_is_better=True,
        unverified="A local measure: no DfE definition exists.",
    )


PRIVATE_FOSTERING_NOTIFICATIONS = Indicator(
    code="PF1",
    name="Private fostering notifications",
    area=Area.WIDER_SERVICE,
    kind=Kind.COUNT,
    definition="Notifications of private fostering arrangements received in the period, by "
    "who notified.",
    numerator="Notifications received in the period",
    denominator="-",
    unit="notifications",
    source="Children (Private Arrangements for Fostering) Regulations 2005, regulations 3 and 5",
    source_url=PF_REGULATIONS,
    compute=notifications,
    groups="Who notified",
)

PRIVATE_FOSTERING_FIRST_VISITS = Indicator(
    code="PF2",
    name="Private fostering first visits within 7 working days",
    area=Area.WIDER_SERVICE,
    kind=Kind.PERCENTAGE,
    definition="Of the notifications received in the period, the share whose first visit was "
    "made within seven working days (the notification is day 0).",
    numerator="Notifications with a visit on or before the seventh working day",
    denominator="Notifications received in the period",
    unit="notifications",
    source="Children (Private Arrangements for Fostering) Regulations 2005, regulations 4(1) "
    "and 7(1)",
    source_url=PF_REGULATIONS,
    compute=first_visits_in_time,
    higher_is_better=True,
    day_counting="Working days, England and Wales bank holidays; the notification is day 0",
    unverified="Regulation 7(1)'s seven working days read in secondary sources only.",
)

YOUNG_CARERS_IDENTIFIED = Indicator(
    code="YC1",
    name="Young carers identified",
    area=Area.WIDER_SERVICE,
    kind=Kind.COUNT,
    definition="Young carers the authority identified in the period.",
    numerator="Young carers recorded with an identified date in the period",
    denominator="-",
    unit="young carers",
    source="Children Act 1989 s.17ZA (Children and Families Act 2014 s.96)",
    source_url=S17ZA,
    compute=young_carers_identified,
)

YOUNG_CARERS_ASSESSED = Indicator(
    code="YC2",
    name="Young carers assessed",
    area=Area.WIDER_SERVICE,
    kind=Kind.PERCENTAGE,
    definition="Of the young carers identified in the period, the share whose needs assessment "
    "was done by the as-at date.",
    numerator="Young carers with a needs assessment done by the as-at date",
    denominator="Young carers identified in the period",
    unit="young carers",
    source="Children Act 1989 s.17ZA (Children and Families Act 2014 s.96)",
    source_url=S17ZA,
    compute=young_carers_assessed,
    higher_is_better=True,
)

TOLD_ABOUT_CICC = _told_indicator("PA1", Told.CICC)
TOLD_ABOUT_ADVOCACY = _told_indicator("PA2", Told.ADVOCACY)
TOLD_ABOUT_INDEPENDENT_VISITORS = _told_indicator("PA3", Told.INDEPENDENT_VISITOR)
TOLD_HOW_TO_COMPLAIN = _told_indicator("PA4", Told.COMPLAINTS)

INDICATORS = (
    PRIVATE_FOSTERING_NOTIFICATIONS,
    PRIVATE_FOSTERING_FIRST_VISITS,
    YOUNG_CARERS_IDENTIFIED,
    YOUNG_CARERS_ASSESSED,
    TOLD_ABOUT_CICC,
    TOLD_ABOUT_ADVOCACY,
    TOLD_ABOUT_INDEPENDENT_VISITORS,
    TOLD_HOW_TO_COMPLAIN,
)
