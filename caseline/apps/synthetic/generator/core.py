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

from django.db import models, transaction

from caseline.apps.people.models import Person
from caseline.apps.timescales.calendar import WorkingDayCalendar, england_and_wales

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
LONDON = ZoneInfo("Europe/London")
BATCH_SIZE = 5000


def weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    values = [v for v, _ in pairs]
    return rng.choices(values, weights=[w for _, w in pairs])[0]


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
    return datetime.date(day.year - years, day.month, min(day.day, 28))


@dataclass(frozen=True)
class Parameters:
    children: int
    years: int
    seed: int
    as_at: datetime.date


@dataclass
class Batch:
    """Rows waiting to be written, in dependency order (of the first row of each model)."""

    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

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

    def say(self, message: str) -> None:
        self.progress(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def write(self, batch: Batch) -> int:
        written = 0
        with transaction.atomic():
            for model, rows in batch.rows.items():
                for i in range(0, len(rows), BATCH_SIZE):
                    model._default_manager.bulk_create(rows[i : i + BATCH_SIZE])
                self.counts[model._meta.label] += len(rows)
                written += len(rows)
        return written

    # -- dates --------------------------------------------------------------------------------

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
        last = min(self.params.as_at, years_before(child.date_of_birth, -18))
        return (first, last) if first < last else None
