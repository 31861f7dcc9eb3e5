"""The whole set counted in two processes (ADR 0045): the indicators reading the children's
care are counted in a forked child, with its own connection, and give the rows counting in
one process gives; inside a transaction, for a team, or when the child fails, everything is
counted here."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import replace

import pytest
from django.db import connection, transaction
from django.test import override_settings

from caseline.apps.indicators import catalogue
from caseline.apps.indicators.engine import Context, Counted, Indicator, compute_all
from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, make_period
from caseline.apps.indicators.tests.builders import Record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="the test database is SQLite in memory, which no other process can open",
    ),
]
D = datetime.date
AS_AT = D(2026, 3, 31)


def _context() -> Context:
    return Context(AS_AT, make_period(PeriodKind.COLLECTION_YEAR, AS_AT))


def _counted_by(code: str, reads_care: bool, fails_away: bool = False) -> Indicator:
    """An indicator naming, in each row, the process that counted it (failing in any process
    but this one, if ``fails_away``)."""
    here = os.getpid()

    def compute(context: Context) -> Iterator[Counted]:
        if fails_away and os.getpid() != here:
            raise RuntimeError("counting failed in the other process")
        yield Counted(0, True, (), what=str(os.getpid()))

    return replace(catalogue.INDICATORS[0], code=code, reads_care=reads_care, compute=compute)


@pytest.fixture
def cohort() -> None:
    record = Record()
    for n in range(4):
        child = record.child(born=D(2010 + n, 5, 1))
        record.episode(child, D(2024, 4 + n, 2))
        record.contact(
            child,
            datetime.datetime(2025, 6, 2 + n, 10, tzinfo=datetime.UTC),
            datetime.datetime(2025, 6, 3 + n, 10, tzinfo=datetime.UTC),
        )
        record.referral(child, D(2025, 6, 3 + n))


def _rows(processes: int, indicators: list[Indicator]) -> dict[str, tuple[Counted, ...]]:
    with override_settings(INDICATOR_PROCESSES=processes, INDICATOR_RESULT_CACHE_ROWS=0):
        results = compute_all(indicators, _context(), AUTHORITY)
    return {result.indicator.code: result.rows for result in results}


def test_the_care_indicators_are_counted_in_a_second_process_with_the_same_rows(
    cohort: None,
) -> None:
    marked = [_counted_by("T1", reads_care=True), _counted_by("T2", reads_care=False)]
    indicators = [*catalogue.INDICATORS, *marked]
    assert any(i.reads_care for i in catalogue.INDICATORS)
    in_one, in_two = _rows(1, indicators), _rows(2, indicators)
    assert {code: rows for code, rows in in_two.items() if code not in ("T1", "T2")} == {
        code: rows for code, rows in in_one.items() if code not in ("T1", "T2")
    }
    assert any(in_one[i.code] for i in catalogue.INDICATORS if i.reads_care)
    assert in_one["T1"][0].what == str(os.getpid())
    assert in_two["T1"][0].what != str(os.getpid())  # counted by the child
    assert in_two["T2"][0].what == str(os.getpid())
    assert connection.is_usable()  # the child left this process's connection alone


def test_a_failing_child_s_indicators_are_counted_here(cohort: None) -> None:
    rows = _rows(2, [_counted_by("T1", reads_care=True, fails_away=True), *catalogue.INDICATORS])
    assert rows["T1"][0].what == str(os.getpid())
    assert connection.is_usable()


def test_inside_a_transaction_everything_is_counted_here(cohort: None) -> None:
    with transaction.atomic():
        rows = _rows(2, [_counted_by("T1", reads_care=True), _counted_by("T2", reads_care=False)])
    assert rows["T1"][0].what == str(os.getpid())


def test_a_failure_here_ends_the_child(cohort: None) -> None:
    def fails(context: Context) -> Iterator[Counted]:
        yield from ()
        raise RuntimeError("counting failed here")

    failing = replace(catalogue.INDICATORS[0], code="T2", reads_care=False, compute=fails)
    with pytest.raises(RuntimeError, match="counting failed here"):
        _rows(2, [*catalogue.INDICATORS, failing])
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left running, nor unreaped
