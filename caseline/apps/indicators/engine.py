"""The indicator engine: what an indicator is, what it gives back, and how it is computed.

An :class:`Indicator` is a definition (in plain English, with its source) and a function that
reads the record for a :class:`Context` (as-at date, period) and yields one :class:`Counted`
per thing it counts (a referral, an assessment, a child looked after at 31 March), each
naming its child, whether it is in the numerator, and the dates that decided it. A
:class:`Result` is those rows for one scope: the numerator and denominator as counts and as
sets of children, every figure traceable to the children behind it.

Cohorts the DfE's returns also use are read from ``returns.cohorts`` (one definition for both);
working days come from ``timescales.calendar`` (the trigger day is day 0).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q

from caseline.apps.accounts.models import Team
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.queries import last_change_id
from caseline.apps.indicators.parallel import count_rows
from caseline.apps.indicators.periods import AUTHORITY, Period, Scope, ScopeKind
from caseline.apps.people.models import Allocation
from caseline.apps.timescales.calendar import WorkingDayCalendar, england_and_wales

# A value one of the decisive dates of a counted row can hold.
Detail = datetime.date | int | str | None


class Kind(StrEnum):
    """How an indicator's value is read: a share of its denominator, or a count."""

    PERCENTAGE = "percentage"
    COUNT = "count"
    AVERAGE = "average"  # the mean of each row's ``amount`` (days, changes of worker)


class Area(StrEnum):
    FRONT_DOOR = "Front door"
    ASSESSMENT = "Assessment"
    PROTECTION = "Child protection"
    LOOKED_AFTER = "Children looked after"
    HEALTH = "Health of children looked after (OC2)"
    CARE_LEAVERS = "Care leavers"
    ADOPTION = "Adoption"
    WORKFORCE = "Workforce"
    WIDER_SERVICE = "Private fostering, young carers and participation"
    ALLEGATIONS = "Allegations against adults (LADO)"
    COMPLAINTS = "Complaints"


class Counted(NamedTuple):
    """One thing an indicator counts: in the denominator always, in the numerator if
    ``counted``. ``decided_by`` are the dates (and day counts) that decided it, in order, as
    the drill-down shows them; ``group`` is its band or breakdown (a duration band, a
    category of abuse, an age group). A named tuple, not a dataclass: the whole set makes
    hundreds of thousands of them, and a tuple is made several times faster."""

    person_id: int
    counted: bool
    decided_by: tuple[tuple[str, Detail], ...]
    group: str = ""
    what: str = ""  # what the row is ("Referral on 3 May 2025"), when a child has several
    amount: int = 0  # what an average adds up for this row (days waited, changes of worker)


@dataclass(frozen=True)
class Indicator:
    """One indicator: its definition and the function that counts it."""

    code: str
    name: str
    area: Area
    kind: Kind
    definition: str
    numerator: str
    denominator: str
    unit: str  # what is counted: "referrals", "children"
    source: str
    source_url: str
    compute: Callable[[Context], Iterable[Counted]] = field(repr=False, compare=False)
    higher_is_better: bool | None = None  # None: neither (a count to know)
    day_counting: str = ""  # how days are counted, for a timeliness measure
    unverified: str = ""  # what is not checked against the DfE's own words
    groups: str = ""  # what the groups are ("Working days from start to authorisation")
    at_period_end: bool = False  # taken on the period's last day ("at 31 March")
    amount_unit: str = ""  # what an average's amounts are ("days")
    # Who may see the children behind the figures, beyond the usual visibility: the figures
    # are for anyone with the indicators; the children only for holders of this permission.
    drill_permission: Permission | None = None
    # Reads the children's care histories (``measures.looked_after.care_history`` and what
    # is read with it), read once a context: counted together, in a second process when the
    # whole set is counted in two (``parallel``, ADR 0045).
    reads_care: bool = False


class Context:
    """The as-at date and period an indicator is computed for, with what several indicators
    read (the working-day calendar, looked-after histories) read once. ``people``, when set,
    are the only children counted (a team's or worker's): an indicator may narrow its reads
    to them (``among``); rows of anyone else are dropped afterwards whether it does or not."""

    def __init__(
        self,
        as_at: datetime.date,
        period: Period,
        people: frozenset[int] | None = None,
    ) -> None:
        if period.end > as_at:
            raise ValueError("A period cannot end after the as-at date.")
        self.as_at = as_at
        self.period = period
        self.people = people
        self.calendar: WorkingDayCalendar = england_and_wales()
        self._shared: dict[str, object] = {}

    def among(self, field: str = "person_id") -> dict[str, object]:
        """A filter narrowing a read to ``people`` by ``field`` (nothing for the authority)."""
        if self.people is None:
            return {}
        return {f"{field}__any_of": sorted(self.people)}

    def shared(self, key: str, load: Callable[[], object]) -> object:
        """What ``load`` returns, loaded once for this context (a history several indicators
        read)."""
        if key not in self._shared:
            self._shared[key] = load()
        return self._shared[key]


@dataclass(frozen=True)
class Result:
    """An indicator's rows for one as-at date, period and scope. Its figures are worked out
    from the rows once, when first asked for (a page asks for each several times)."""

    indicator: Indicator
    as_at: datetime.date
    period: Period
    scope: Scope
    rows: tuple[Counted, ...]

    @functools.cached_property
    def numerator(self) -> int:
        """The rows counted; for an average, the sum of their amounts (total days)."""
        if self.indicator.kind is Kind.AVERAGE:
            return sum(row.amount for row in self.rows if row.counted)
        return sum(1 for row in self.rows if row.counted)

    @functools.cached_property
    def denominator(self) -> int | None:
        """How many were counted over; None for a count."""
        if self.indicator.kind is Kind.AVERAGE:
            return sum(1 for row in self.rows if row.counted)
        return None if self.indicator.kind is Kind.COUNT else len(self.rows)

    @property
    def value(self) -> float | None:
        """The percentage (one decimal place), the count, or the average (one decimal place);
        None with nothing to count over."""
        if self.indicator.kind is Kind.COUNT:
            return float(self.numerator)
        if self.indicator.kind is Kind.AVERAGE:
            over = self.denominator
            return round(self.numerator / over, 1) if over else None
        if not self.rows:
            return None
        return round(100 * self.numerator / len(self.rows), 1)

    @property
    def display(self) -> str:
        """The value as the page shows it: "85.7%", "1,204", or "No data"."""
        return display(self.indicator, self.value)

    @property
    def summary(self) -> str:
        """What the value is made of, as the drill-down shows it beside the value: "(3 of 5)",
        "(740 days over 2 children adopted)", or nothing for a count."""
        over = self.denominator
        if over is None:
            return ""
        if self.indicator.kind is Kind.AVERAGE:
            unit, of = self.indicator.amount_unit, self.indicator.unit
            return f"({self.numerator:,} {unit} over {over:,} {of})"
        return f"({self.numerator:,} of {over:,})"

    @functools.cached_property
    def date_labels(self) -> tuple[str, ...]:
        """The labels of the dates that decided any row, in the order first met (the
        drill-down's date columns), worked out once for the result, not once a page."""
        return tuple(dict.fromkeys(label for row in self.rows for label, _ in row.decided_by))

    @functools.cached_property
    def numerator_ids(self) -> frozenset[int]:
        return frozenset(row.person_id for row in self.rows if row.counted)

    @functools.cached_property
    def denominator_ids(self) -> frozenset[int]:
        return frozenset(row.person_id for row in self.rows)

    def groups(self) -> list[tuple[str, int, int]]:
        """Each group with its numerator and denominator, in the order first met (the
        indicator yields bands in order)."""
        return self._groups

    @functools.cached_property
    def _groups(self) -> list[tuple[str, int, int]]:
        everyone: Counter[str] = Counter(row.group for row in self.rows if row.group)
        counted: Counter[str] = Counter(row.group for row in self.rows if row.group and row.counted)
        order = sorted(everyone, key=_group_order)
        return [(name, counted[name], everyone[name]) for name in order]


def display(indicator: Indicator, value: float | None) -> str:
    """An indicator's value as the pages show it: "85.7%", "1,204", or "No data"."""
    if value is None:
        return "No data"
    if indicator.kind is Kind.PERCENTAGE:
        return f"{value:g}%"
    if indicator.kind is Kind.AVERAGE:
        return f"{value:,.1f} {indicator.amount_unit}".strip()
    return f"{int(value):,}"


def _group_order(name: str) -> tuple[int, str]:
    """Bands that start with a number sort by it ("0 to 10", "11 to 15", "61 or more")."""
    head = name.split(" ", 1)[0].split("-", 1)[0]
    return (int(head), name) if head.isdigit() else (10**6, name)


def responsible(as_at: datetime.date, person_ids: Iterable[int]) -> dict[int, Allocation]:
    """The allocation responsible for each child on ``as_at``: the one open that day (the
    latest started, if several), else the last one that began before it. One query."""
    ids = sorted(set(person_ids))
    chosen: dict[int, Allocation] = {}
    if not ids:
        return chosen
    allocations = (
        Allocation.objects.filter(person_id__any_of=ids, start_date__lte=as_at)
        .only("person_id", "team_id", "worker_id", "start_date", "end_date")
        .order_by("person_id", "start_date", "id")
    )
    for allocation in allocations:
        current = chosen.get(allocation.person_id)
        open_then = allocation.end_date is None or allocation.end_date >= as_at
        current_open = current is not None and (
            current.end_date is None or current.end_date >= as_at
        )
        if current is None or open_then or not current_open:
            chosen[allocation.person_id] = allocation
    return chosen


def in_scope(scope: Scope, as_at: datetime.date, person_ids: Iterable[int]) -> set[int]:
    """Which of these children are in ``scope`` on ``as_at``."""
    ids = set(person_ids)
    if scope.kind is ScopeKind.AUTHORITY:
        return ids
    return _responsible_in(scope, responsible(as_at, ids))


def _responsible_in(scope: Scope, allocations: dict[int, Allocation]) -> set[int]:
    """The children whose responsible allocation is the scope's team, service or worker."""
    if scope.kind is ScopeKind.SERVICE:
        teams = set(Team.objects.filter(service=scope.service).values_list("id", flat=True))
        return {pk for pk, a in allocations.items() if a.team_id in teams}
    if scope.kind is ScopeKind.TEAM:
        return {pk for pk, a in allocations.items() if a.team_id == scope.id}
    return {pk for pk, a in allocations.items() if a.worker_id == scope.id}


def scope_children(scope: Scope, as_at: datetime.date) -> frozenset[int]:
    """Every child in a team's, service's or worker's scope on ``as_at``: those allocated to
    it by then whose responsible allocation that day (as ``responsible`` chooses it) is its,
    found from the scope's own allocations rather than from everyone an indicator counts. One
    query of plain rows (two for a service)."""
    theirs = Allocation.objects.filter(start_date__lte=as_at)
    if scope.kind is ScopeKind.SERVICE:
        teams = set(Team.objects.filter(service=scope.service).values_list("id", flat=True))
        theirs = theirs.filter(team_id__in=teams)
    elif scope.kind is ScopeKind.TEAM:
        theirs = theirs.filter(team_id=scope.id or 0)
    else:
        theirs = theirs.filter(worker_id=scope.id or 0)
    rows = (
        Allocation.objects.filter(person_id__in=theirs.values("person_id"), start_date__lte=as_at)
        .order_by("person_id", "start_date", "id")
        .values_list("person_id", "team_id", "worker_id", "end_date")
    )
    # Per child, the allocation ``responsible`` chooses: (team, worker, open that day).
    chosen: dict[int, tuple[int | None, int | None, bool]] = {}
    for person_id, team_id, worker_id, end_date in rows:
        open_then = end_date is None or end_date >= as_at
        current = chosen.get(person_id)
        if current is None or open_then or not current[2]:
            chosen[person_id] = (team_id, worker_id, open_then)
    if scope.kind is ScopeKind.SERVICE:
        return frozenset(pk for pk, (team, _, _) in chosen.items() if team in teams)
    if scope.kind is ScopeKind.TEAM:
        return frozenset(pk for pk, (team, _, _) in chosen.items() if team == scope.id)
    return frozenset(pk for pk, (_, worker, _) in chosen.items() if worker == scope.id)


def compute(indicator: Indicator, context: Context, scope: Scope) -> Result:
    """``indicator`` for ``context`` and ``scope``."""
    return compute_all([indicator], context, scope)[0]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while indicators are counted. The counting makes
    hundreds of thousands of short-lived rows, none in a reference cycle; left running, the
    collector walks every live object again and again as they are made (a quarter of the
    CPU time at 12,500 children). It runs again afterwards, so nothing is kept that would not be."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _kept_out_of_collection() -> None:
    """Move every object alive now, the results just kept among them, out of the cycle
    collector's reach (``gc.freeze``), before it runs again (ADR 0041). Kept results are
    hundreds of thousands of rows that live until the record changes; left to the
    collector, each of its passes over the oldest objects walked them all again (about 0.4 s
    for the whole set at 50,000 children), inside whichever request it fell. Rows let go
    are still freed at once by reference counting (none is in a cycle); a cycle alive at
    this moment and dropped later is kept until the worker is replaced (``max_requests``)."""
    gc.freeze()


CacheKey = tuple[str, datetime.date, Period, Scope, int]


class ResultCache:
    """Indicators' results kept in this process's memory until the record changes: each keyed on
    the indicator, as-at date, period, scope and the record's version (``last_change_id``),
    so a figure is worked out once and its drill-down, download or the next page showing it
    is a lookup (with the figures and sets of children a result works out once); after any
    write the version moves and it is worked out again. At most
    ``INDICATOR_RESULT_CACHE_ROWS`` rows in all, the least recently used let go first."""

    def __init__(self) -> None:
        self._entries: OrderedDict[CacheKey, Result] = OrderedDict()
        self._rows = 0
        self._lock = threading.Lock()

    @staticmethod
    def capacity() -> int:
        return int(getattr(settings, "INDICATOR_RESULT_CACHE_ROWS", 0))

    def get(self, key: CacheKey) -> Result | None:
        with self._lock:
            result = self._entries.get(key)
            if result is not None:
                self._entries.move_to_end(key)
            return result

    def put(self, key: CacheKey, result: Result) -> None:
        limit = self.capacity()
        if len(result.rows) > limit:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = result
            self._rows += len(result.rows)
            while self._rows > limit:
                _, dropped = self._entries.popitem(last=False)
                self._rows -= len(dropped.rows)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._rows = 0


RESULTS = ResultCache()


def _key(indicator: Indicator, context: Context, scope: Scope, version: int) -> CacheKey:
    return (
        indicator.code,
        context.as_at,
        context.period,
        scope,
        version,
    )


def compute_all(indicators: Sequence[Indicator], context: Context, scope: Scope) -> list[Result]:
    """Every indicator in ``indicators`` for one context and scope. A team's, service's or
    worker's children are found first (``scope_children``) and the indicators count only them,
    those that can reading only their records. Results already worked out since the record
    last changed come from ``RESULTS``; a team's can also be cut from the authority's."""
    cached = ResultCache.capacity() > 0
    version = last_change_id() if cached else 0
    found: dict[str, Result] = {}
    if cached:
        for indicator in indicators:
            result = RESULTS.get(_key(indicator, context, scope, version))
            if result is not None:
                found[indicator.code] = result
    missing = [indicator for indicator in indicators if indicator.code not in found]
    if missing:
        wanted: frozenset[int] | None = None
        counting: Context | None = context
        if not scope.is_authority:
            wanted = scope_children(scope, context.as_at)
            whole = [RESULTS.get(_key(i, context, AUTHORITY, version)) for i in missing]
            if cached and all(result is not None for result in whole):
                counting = None  # every one is cut from the authority's rows below
            else:
                counting = Context(context.as_at, context.period, wanted)
        with _collector_paused():
            counted = count_rows(missing, counting) if counting is not None else {}
            for indicator in missing:
                if counting is None:
                    authority = RESULTS.get(_key(indicator, context, AUTHORITY, version))
                    every = authority.rows if authority is not None else ()
                else:
                    every = counted[indicator.code]
                rows = every if wanted is None else tuple(r for r in every if r.person_id in wanted)
                result = Result(indicator, context.as_at, context.period, scope, rows)
                found[indicator.code] = result
                if cached:
                    RESULTS.put(_key(indicator, context, scope, version), result)
            if cached:
                _kept_out_of_collection()
    return [found[indicator.code] for indicator in indicators]


@functools.lru_cache(maxsize=4096)
def working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days from ``start`` to ``end``, the start day being day 0 (so the same day is
    0): the DfE's duration for assessments and initial conferences."""
    return england_and_wales().working_days_between(start, end)


def as_dates(*pairs: tuple[str, Detail]) -> tuple[tuple[str, Detail], ...]:
    return tuple(pairs)


def merged_out() -> Q:
    """People whose record was merged into another: left out, as the returns leave them."""
    return Q(person__merged_into__isnull=False)
