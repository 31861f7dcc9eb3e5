"""The wider service Ofsted looks at: private fostering, young carers and whether looked-after
children have been told about the Children in Care Council (issue 21)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Min, Q

from caseline.apps.indicators.engine import Area, Context, Counted, Indicator, Kind
from caseline.apps.lookedafter.models import SHORT_BREAK_STATUSES, Episode
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


def told_about_cicc(context: Context) -> Iterator[Counted]:
    as_at = context.as_at
    looked_after = set(
        Episode.objects.filter(start_date__lte=as_at, person__merged_into__isnull=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_at))
        .exclude(legal_status__in=SHORT_BREAK_STATUSES)
        .values_list("person_id", flat=True)
    )
    told = dict(
        ParticipationRecord.objects.filter(
            person_id__any_of=sorted(looked_after),
            kind=ParticipationKind.TOLD,
            subject=Told.CICC,
            on__lte=as_at,
        )
        .values("person_id")
        .annotate(first=Min("on"))
        .values_list("person_id", "first")
    )
    for person_id in sorted(looked_after):
        yield Counted(person_id, person_id in told, (("Told about the CiCC", told.get(person_id)),))


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

TOLD_ABOUT_CICC = Indicator(
    code="PA1",
    name="Looked-after children told about the Children in Care Council",
    area=Area.WIDER_SERVICE,
    kind=Kind.PERCENTAGE,
    definition="Of the children looked after on the as-at date (short breaks apart), the share "
    "recorded as told about the Children in Care Council on or before it.",
    numerator="Children recorded as told about the Children in Care Council",
    denominator="Children looked after on the as-at date, short breaks (V3, V4) apart",
    unit="children",
    source="Ofsted ILACS: children's participation (no national measure)",
    source_url=ILACS,
    compute=told_about_cicc,
    higher_is_better=True,
    unverified="A local measure: no DfE definition exists; care leavers are not yet counted.",
)

INDICATORS = (
    PRIVATE_FOSTERING_NOTIFICATIONS,
    PRIVATE_FOSTERING_FIRST_VISITS,
    YOUNG_CARERS_IDENTIFIED,
    YOUNG_CARERS_ASSESSED,
    TOLD_ABOUT_CICC,
)
