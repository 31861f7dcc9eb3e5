"""The child's journey seen whole: each child's path through the service over a period, from
contact through referral and assessment to a plan or care and to closure, and the children who
came back round.

A child is counted once in each band they reached in the period (their first day there):
a contact about them received, a referral, an assessment started, a child in need plan, a
child protection plan or a period of care started, a referral closed. A flow joins the bands a
child reached in consecutive columns of the journey, so the diagram says which of one band's
children went on to the next, not only how many. Who came back round is read from the engine's
own indicators (FD4's re-referrals, CP5's second or later plans): one definition. Every band
opens onto its children (an audited read, visibility rules applied by the view).

The diagram is drawn on the server as SVG, with the same figures as tables beside it.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from caseline.apps.assessments.models import Assessment
from caseline.apps.cin.models import CINPlan
from caseline.apps.core.local_days import local_date
from caseline.apps.frontdoor.models import ContactPerson, Referral
from caseline.apps.indicators import catalogue
from caseline.apps.indicators.engine import Context, compute_all, in_scope
from caseline.apps.indicators.periods import Period, Scope
from caseline.apps.lookedafter.models import STARTED, Episode
from caseline.apps.protection.models import ProtectionPlan
from caseline.apps.timescales.calendar import add_days


class BandKey(StrEnum):
    CONTACT = "contact"
    REFERRAL = "referral"
    ASSESSMENT = "assessment"
    CIN_PLAN = "cin-plan"
    CP_PLAN = "cp-plan"
    LOOKED_AFTER = "looked-after"
    CLOSED = "closed"
    RE_REFERRED = "re-referred"
    REPEAT_PLAN = "repeat-plan"


@dataclass(frozen=True)
class BandSpec:
    key: BandKey
    label: str
    column: int  # the journey's columns, left to right; -1: came back round (not drawn)
    day_label: str  # what the child's date in the band is


BANDS: tuple[BandSpec, ...] = (
    BandSpec(BandKey.CONTACT, "Contact", 0, "Contact received"),
    BandSpec(BandKey.REFERRAL, "Referral", 1, "Referral"),
    BandSpec(BandKey.ASSESSMENT, "Assessment", 2, "Assessment started"),
    BandSpec(BandKey.CIN_PLAN, "Child in need plan", 3, "Plan started"),
    BandSpec(BandKey.CP_PLAN, "Child protection plan", 3, "Plan started"),
    BandSpec(BandKey.LOOKED_AFTER, "Looked after", 3, "Started to be looked after"),
    BandSpec(BandKey.CLOSED, "Closed", 4, "Referral closed"),
    BandSpec(BandKey.RE_REFERRED, "Re-referred within 12 months", -1, "Referral"),
    BandSpec(BandKey.REPEAT_PLAN, "Second or later child protection plan", -1, "Plan started"),
)
BY_KEY = {spec.key: spec for spec in BANDS}
COLUMNS = 5
# Who came back round: the engine's indicator whose numerator is the band.
CAME_BACK_CODES: dict[BandKey, str] = {BandKey.RE_REFERRED: "FD4", BandKey.REPEAT_PLAN: "CP5"}


def spec_of(key: str) -> BandSpec | None:
    """The band named ``key`` ("closed"), if there is one."""
    return next((spec for spec in BANDS if spec.key.value == key), None)


@dataclass(frozen=True)
class Band:
    """One band: each child in it with their first day there in the period."""

    spec: BandSpec
    days: dict[int, datetime.date]
    indicator_code: str = ""  # for a came-back band, the indicator it is the numerator of

    @property
    def key(self) -> str:
        return self.spec.key.value

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def children(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class Link:
    """The children who went from one band to a band in a later column."""

    source: BandKey
    target: BandKey
    children: frozenset[int]

    @property
    def count(self) -> int:
        return len(self.children)

    @property
    def source_label(self) -> str:
        return BY_KEY[self.source].label

    @property
    def target_label(self) -> str:
        return BY_KEY[self.target].label

    @property
    def label(self) -> str:
        return f"{self.source_label} to {self.target_label}"


@dataclass(frozen=True)
class Flow:
    as_at: datetime.date
    period: Period
    scope: Scope
    bands: list[Band]
    came_back: list[Band]
    links: list[Link]
    children: int = 0  # children on the journey at all

    def band(self, key: str) -> Band | None:
        for band in self.bands + self.came_back:
            if band.key == key:
                return band
        return None

    def onward(self, key: str, to: str) -> dict[int, datetime.date]:
        """The children of band ``key`` who went on to band ``to`` (a flow), with their day in
        ``key``; none when no child did."""
        band = self.band(key)
        link = next(
            (link for link in self.links if link.source.value == key and link.target.value == to),
            None,
        )
        if band is None or link is None:
            return {}
        return {pk: day for pk, day in band.days.items() if pk in link.children}


def _first(days: dict[int, datetime.date], rows: Iterable[tuple[int, datetime.date]]) -> None:
    for person_id, day in rows:
        if person_id not in days or day < days[person_id]:
            days[person_id] = day


def _contact_days(period: Period) -> dict[int, datetime.date]:
    """Each child's first contact received in the period (local day)."""
    first = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(add_days(period.end, 1), datetime.time.min)
    )
    rows = ContactPerson.objects.filter(
        role=ContactPerson.Role.SUBJECT,
        person__merged_into__isnull=True,
        contact__received_at__gte=first,
        contact__received_at__lt=after,
    ).values_list("person_id", local_date("contact__received_at", period.start, period.end))
    days: dict[int, datetime.date] = {}
    _first(days, rows)
    return days


def _days(query: Iterable[tuple[int, datetime.date | None]]) -> dict[int, datetime.date]:
    days: dict[int, datetime.date] = {}
    _first(days, ((pk, day) for pk, day in query if day is not None))
    return days


def paths(period: Period) -> dict[BandKey, dict[int, datetime.date]]:
    """Each band's children and their first day in it, for the whole authority (seven
    queries)."""
    span = (period.start, period.end)
    live = {"person__merged_into__isnull": True}
    return {
        BandKey.CONTACT: _contact_days(period),
        BandKey.REFERRAL: _days(
            Referral.objects.filter(referral_date__range=span, **live).values_list(
                "person_id", "referral_date"
            )
        ),
        BandKey.ASSESSMENT: _days(
            Assessment.objects.filter(start_date__range=span, **live).values_list(
                "person_id", "start_date"
            )
        ),
        BandKey.CIN_PLAN: _days(
            CINPlan.objects.filter(start_date__range=span, **live).values_list(
                "person_id", "start_date"
            )
        ),
        BandKey.CP_PLAN: _days(
            ProtectionPlan.objects.filter(start_date__range=span, **live).values_list(
                "person_id", "start_date"
            )
        ),
        BandKey.LOOKED_AFTER: _days(
            Episode.objects.filter(
                start_date__range=span, reason_new_episode=STARTED, **live
            ).values_list("person_id", "start_date")
        ),
        BandKey.CLOSED: _days(
            Referral.objects.filter(closed_on__range=span, **live).values_list(
                "person_id", "closed_on"
            )
        ),
    }


def links_between(bands: list[Band]) -> list[Link]:
    """The flows: for each child, from each band they reached to each band they reached in the
    next column they reached (a child referred and then closed with no assessment flows from
    referral straight to closed)."""
    by_child: dict[int, dict[int, list[BandKey]]] = defaultdict(lambda: defaultdict(list))
    for band in bands:
        for person_id in band.days:
            by_child[person_id][band.spec.column].append(band.spec.key)
    found: dict[tuple[BandKey, BandKey], set[int]] = defaultdict(set)
    for person_id, columns in by_child.items():
        reached = sorted(columns)
        for here, there in itertools.pairwise(reached):
            for source in columns[here]:
                for target in columns[there]:
                    found[(source, target)].add(person_id)
    order = {spec.key: index for index, spec in enumerate(BANDS)}
    return [
        Link(source, target, frozenset(children))
        for (source, target), children in sorted(
            found.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])
        )
    ]


def flow(as_at: datetime.date, period: Period, scope: Scope) -> Flow:
    """Every band's children for ``period`` as at ``as_at`` in ``scope``, and the flows."""
    found = paths(period)
    everyone = set().union(*(days.keys() for days in found.values()))
    wanted = None if scope.is_authority else in_scope(scope, as_at, everyone)
    bands = [
        Band(
            BY_KEY[key],
            {pk: day for pk, day in days.items() if wanted is None or pk in wanted},
        )
        for key, days in found.items()
    ]
    results = compute_all(
        [catalogue.BY_CODE[code] for code in CAME_BACK_CODES.values()],
        Context(as_at, period),
        scope,
    )
    came_back = []
    for (key, code), result in zip(CAME_BACK_CODES.items(), results, strict=True):
        days: dict[int, datetime.date] = {}
        _first(
            days,
            (
                (row.person_id, day)
                for row in result.rows
                if row.counted and isinstance(day := row.decided_by[0][1], datetime.date)
            ),
        )
        came_back.append(Band(BY_KEY[key], days, code))
    on_journey = set().union(*(band.days.keys() for band in bands))
    return Flow(as_at, period, scope, bands, came_back, links_between(bands), len(on_journey))


# The diagram: five columns, bars stacked in each, flows drawn between them.
WIDTH, HEIGHT, TOP, BAR_MAX, GAP, BAR_WIDTH = 880, 380, 30, 300, 14, 22


@dataclass
class Bar:
    band: Band
    x: int
    y: float
    height: float
    out_used: float = 0.0
    in_used: float = 0.0
    out_total: int = 0
    in_total: int = 0
    label_x: int = 0
    anchor: str = "start"


@dataclass(frozen=True)
class Ribbon:
    link: Link
    path: str


@dataclass(frozen=True)
class Diagram:
    bars: list[Bar] = field(default_factory=list)
    ribbons: list[Ribbon] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def diagram(flow: Flow) -> Diagram:
    """Bars (height by children, one scale) stacked by column, and a ribbon for each flow,
    its ends sharing out each bar's height by the flows leaving and entering it."""
    columns: dict[int, list[Band]] = defaultdict(list)
    for band in flow.bands:
        columns[band.spec.column].append(band)
    tallest = max((sum(b.children for b in bands) for bands in columns.values()), default=0)
    usable = BAR_MAX - GAP * 2
    scale = usable / tallest if tallest else 0.0
    step = (WIDTH - 200) // (COLUMNS - 1)
    bars: dict[BandKey, Bar] = {}
    for column, bands in columns.items():
        y = float(TOP)
        x = 100 + column * step
        for band in bands:
            height = max(3.0, band.children * scale)
            last = column == COLUMNS - 1
            bars[band.spec.key] = Bar(
                band,
                x,
                y,
                height,
                label_x=x - 6 if not last else x + BAR_WIDTH + 6,
                anchor="end" if not last else "start",
            )
            y += height + GAP
    for link in flow.links:
        bars[link.source].out_total += link.count
        bars[link.target].in_total += link.count
    ribbons = []
    for link in flow.links:
        source, target = bars[link.source], bars[link.target]
        out = source.height * link.count / source.out_total
        into = target.height * link.count / target.in_total
        y1, y2 = source.y + source.out_used, target.y + target.in_used
        source.out_used += out
        target.in_used += into
        x1, x2 = source.x + BAR_WIDTH, target.x
        middle = (x1 + x2) / 2
        path = (
            f"M{x1},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2},{y2:.1f} "
            f"L{x2},{y2 + into:.1f} C{middle:.1f},{y2 + into:.1f} {middle:.1f},{y1 + out:.1f} "
            f"{x1},{y1 + out:.1f} Z"
        )
        ribbons.append(Ribbon(link, path))
    return Diagram(list(bars.values()), ribbons)
