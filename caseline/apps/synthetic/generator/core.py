"""What every part of the generator shares: the run's random source, its dates and the bulk
writer.

Determinism: every random choice comes from the one ``random.Random(seed)`` of a run
(``Generation.rng``), drawn in a fixed order; nothing depends on the clock or on the order of
database results, so the same seed and as-at date give the same authority.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction

from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.people.models import Person
from caseline.apps.synthetic.places import Places
from caseline.apps.timescales.calendar import (
    WorkingDayCalendar,
    add_calendar_months,
    england_and_wales,
)

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
LONDON = ZoneInfo("Europe/London")
BATCH_SIZE = 5000
# The adoptions every authority has near its as-at date, however small: children whose agency
# decision maker's decision, match and move to adopters fall in the twelve months before it
# ("placed"), and one decided in them and still waiting ("waiting"). A few dozen children in
# a thousand come into care in a year and a handful of those are adopted, so a small authority
# would otherwise often have none (Ofsted's Annex A lists 10 and 11 would be empty).
ADOPTIONS_DUE = ("placed", "placed", "waiting")


def weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    values = [v for v, _ in pairs]
    return rng.choices(values, weights=[w for _, w in pairs])[0]


def valid_on(
    rng: random.Random, pairs: Sequence[tuple[str, float]], name: CodeListName, day: datetime.date
) -> str:
    """A weighted choice among the codes of list ``name`` valid in the collection year of
    ``day`` (a code list's year starts on 1 April)."""
    codes, year = code_list(name), collection_year(day)
    valid = [(code, weight) for code, weight in pairs if codes.is_valid(code, year)]
    return weighted(rng, valid)


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """About ``years`` years before ``day`` (on the 28th at the latest): for spacing events,
    not for birthdays (:func:`birthday`)."""
    return datetime.date(day.year - years, day.month, min(day.day, 28))


def birthday(born: datetime.date, age: int) -> datetime.date:
    """The day someone born on ``born`` turns ``age``, as the record counts it
    (``lookedafter.derive.birthday``: 29 February birthdays fall on 28 February). Not
    :func:`years_before`, whose 28th would end care at 18 a few days early (903 rule 460)."""
    return add_calendar_months(born, 12 * age)


@dataclass(frozen=True)
class Parameters:
    children: int
    years: int
    seed: int
    as_at: datetime.date
    # The authority: its DfE LA number (in UPNs) and ONS code (its postcode districts). Blank
    # takes the settings' CASELINE_LA_NUMBER and CASELINE_ONS_CODE.
    la_number: str = ""
    ons_code: str = ""
    # The moment the authority is as at: nothing is timed later (a contact received, a note
    # made), so an authority as at today holds nothing the record would call later than now.
    # None: the end of the as-at day. ``caseline generate`` gives the moment it starts when the
    # as-at day is today.
    now: datetime.datetime | None = None


@dataclass
class Batch:
    """Rows waiting to be written, in dependency order (of the first row of each model)."""

    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    @classmethod
    def ordered(cls, *models_first: type[models.Model]) -> Batch:
        """A batch that writes these models first, in this order (for rows that refer to a
        row of a model another part of the generator adds first)."""
        return cls({model: [] for model in models_first})

    def add(self, row: models.Model) -> None:
        self.rows.setdefault(type(row), []).append(row)

    def last(self, model: type[M]) -> M:
        """The row of this model added last."""
        row = self.rows[model][-1]
        assert isinstance(row, model)
        return row


class Generation:
    """One run of the generator: its parameters, random source, calendar and counts, and the
    writer every domain's rows go through."""

    def __init__(
        self, params: Parameters, *, progress: Callable[[str], None] | None = None
    ) -> None:
        self.params = params
        self.rng = random.Random(params.seed)
        self.progress = progress or (lambda message: None)
        self.started = time.monotonic()
        self.counts: Counter[str] = Counter()
        # Rows that refer to rows of a type written later in the same batch (review
        # conferences refer to the plan that the initial conference started).
        self.later = Batch()
        self.calendar: WorkingDayCalendar = england_and_wales()
        self.start = years_before(params.as_at, params.years)
        self.la_number = params.la_number or settings.CASELINE_LA_NUMBER
        self.ons_code = params.ons_code or settings.CASELINE_ONS_CODE
        self.places = Places(self.ons_code)
        # The postcodes of each child's homes, the current one first (by the Person object's
        # id while its chunk is built), so a placement is never at any of them (903 rule
        # 392d: the home postcode is the one on the day care began, which may be a former
        # home).
        self.homes: dict[int, tuple[str, ...]] = {}
        # The adoption decision and match of the period of care being written, if any.
        self.adoption: tuple[datetime.date, datetime.date] | None = None
        # The adoptions of ADOPTIONS_DUE not yet given to a child (frontdoor.adoption_due).
        self.adoptions_due: list[str] = list(ADOPTIONS_DUE)
        self.now = params.now or datetime.datetime.combine(
            params.as_at, datetime.time.max, tzinfo=LONDON
        )
        # The NHS numbers and UPNs given so far, and the names (main and other) of everyone
        # generated so far by date of birth: nobody is given another's identifier or, born on
        # the same day, a name the duplicate check would take for theirs (families.new_person).
        self.identifiers: set[str] = set()
        self.born: dict[datetime.date, list[tuple[str, str]]] = {}

    def say(self, message: str) -> None:
        self.progress(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def write(self, batch: Batch) -> int:
        written = 0
        with transaction.atomic():
            for model, rows in batch.rows.items():
                if not rows:
                    continue
                for i in range(0, len(rows), BATCH_SIZE):
                    model._default_manager.bulk_create(rows[i : i + BATCH_SIZE])
                self.counts[model._meta.label] += len(rows)
                written += len(rows)
        return written

    # -- dates --------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        """That time on ``day``, or the generation's now if that is earlier: on the as-at day
        nothing happens later than the moment the authority is as at."""
        return min(at(day, hour, minute), self.now)

    def working_days(self, day: datetime.date, n: int) -> datetime.date:
        return self.calendar.add_working_days(day, n)

    def random_dob(self, earliest: datetime.date, latest: datetime.date) -> datetime.date:
        """A day from ``earliest`` to ``latest`` (any day, not only birthdays)."""
        span = max(0, (latest - earliest).days)
        return earliest + datetime.timedelta(days=self.rng.randint(0, span))

    def late_by(self, day: datetime.date, rate: float, most: int) -> datetime.date:
        """``day``, or with probability ``rate`` up to ``most`` working days after it."""
        if self.rng.random() < rate:
            return self.working_days(day, self.rng.randint(1, most))
        return day

    def window(self, child: Person) -> tuple[datetime.date, datetime.date] | None:
        """The part of the period covered in which the child was under 18, if any."""
        assert child.date_of_birth is not None
        first = max(self.start, child.date_of_birth)
        last = min(self.params.as_at, birthday(child.date_of_birth, 18))
        return (first, last) if first < last else None
