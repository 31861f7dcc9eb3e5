"""Indicator results kept until the record changes, and a team's figures counted from its own
children: a result is a lookup until an audited write, reads do not move it, a team's rows
are the authority's rows of its children, and a drill-down served from the cache still
applies visibility and audits each child shown."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction
from django.test import Client, override_settings

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.audit.queries import last_change_id
from caseline.apps.audit.record import record_event, record_reads
from caseline.apps.indicators import catalogue
from caseline.apps.indicators.engine import (
    RESULTS,
    Context,
    Indicator,
    compute,
    compute_all,
    in_scope,
)
from caseline.apps.indicators.periods import AUTHORITY, PeriodKind, Scope, ScopeKind, make_period
from caseline.apps.indicators.tests.builders import Record
from tests.factories import AllocationFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date
AS_AT = D(2026, 3, 31)
QUERY = "as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"


@pytest.fixture(autouse=True)
def _cache_on() -> Iterator[None]:
    """The cache, on and empty (the test settings keep it off)."""
    RESULTS.clear()
    with override_settings(INDICATOR_RESULT_CACHE_ROWS=10_000):
        yield
    RESULTS.clear()


@pytest.fixture
def cohort() -> tuple[Record, list[int]]:
    """Two assessments authorised in 2025-26, one in time and one late."""
    record = Record()
    in_time, late = record.child(given_name="Ina"), record.child(given_name="Lee")
    record.assessment(in_time, D(2025, 7, 21), D(2025, 9, 23))
    record.assessment(late, D(2025, 7, 21), D(2025, 9, 24))
    return record, [in_time.pk, late.pk]


def context() -> Context:
    return Context(AS_AT, make_period(PeriodKind.COLLECTION_YEAR, AS_AT))


def as1() -> Indicator:
    indicator = catalogue.get("AS1")
    assert indicator is not None
    return indicator


def test_a_result_is_looked_up_until_a_change_is_audited(
    cohort: tuple[Record, list[int]],
) -> None:
    record, _ = cohort
    first = compute(as1(), context(), AUTHORITY)
    again = compute(as1(), context(), AUTHORITY)
    assert again is first  # a lookup, not a second computation
    assert first.summary == "(1 of 2)"
    before = last_change_id()
    with transaction.atomic():
        third = record.child(given_name="Tia")
        record.assessment(third, D(2025, 8, 1), D(2025, 9, 5))
        record_event(acting_user=record.user, event_type=EventType.CREATED, target=third)
    assert last_change_id() > before
    after = compute(as1(), context(), AUTHORITY)
    assert after.rows is not first.rows
    assert after.summary == "(2 of 3)"


def test_reads_do_not_move_the_record_version(cohort: tuple[Record, list[int]]) -> None:
    record, children = cohort
    first = compute(as1(), context(), AUTHORITY)
    version = last_change_id()
    record_reads(
        acting_user=record.user,
        event_type=EventType.CHILD_RECORD_VIEWED,
        subject_person_ids=children,
        extra={"section": "indicators"},
    )
    assert last_change_id() == version
    assert compute(as1(), context(), AUTHORITY) is first


def test_signing_in_does_not_move_the_record_version(cohort: tuple[Record, list[int]]) -> None:
    record, _ = cohort
    first = compute(as1(), context(), AUTHORITY)
    version = last_change_id()
    with transaction.atomic():
        record_event(acting_user=record.user, event_type=EventType.SIGNED_IN)
        record_event(acting_user=record.user, event_type=EventType.SIGNED_OUT)
    assert last_change_id() == version
    assert compute(as1(), context(), AUTHORITY) is first
    with transaction.atomic():
        record_event(acting_user=record.user, event_type=EventType.TEAM_CREATED)
    assert last_change_id() > version  # any other change still moves it


def test_a_result_larger_than_the_cache_is_not_kept(cohort: tuple[Record, list[int]]) -> None:
    with override_settings(INDICATOR_RESULT_CACHE_ROWS=1):
        first = compute(as1(), context(), AUTHORITY)
        assert compute(as1(), context(), AUTHORITY).rows is not first.rows
        assert compute(as1(), context(), AUTHORITY).rows == first.rows


def test_a_teams_rows_are_the_authoritys_rows_of_its_children(
    cohort: tuple[Record, list[int]], team: Team
) -> None:
    record, (in_time, late) = cohort
    AllocationFactory.create(person_id=in_time, team=team, start_date=D(2025, 1, 1))
    elsewhere = TeamFactory.create(name="Elsewhere")
    AllocationFactory.create(person_id=late, team=elsewhere, start_date=D(2025, 1, 1))
    # Moved to the team after the as-at date: not the team's then.
    later = record.child(given_name="Max")
    record.assessment(later, D(2025, 8, 1), D(2025, 9, 5))
    AllocationFactory.create(person_id=later.pk, team=team, start_date=D(2026, 4, 2))
    scope = Scope(ScopeKind.TEAM, team.pk, team.name)
    codes = ("FD1", "AS1", "CP2", "LA9")
    indicators = [i for i in catalogue.INDICATORS if i.code in codes]
    with override_settings(INDICATOR_RESULT_CACHE_ROWS=0):
        scoped = compute_all(indicators, context(), scope)
        whole = compute_all(indicators, context(), AUTHORITY)
    for mine, everyone in zip(scoped, whole, strict=True):
        wanted = in_scope(scope, AS_AT, everyone.denominator_ids)
        assert mine.rows == tuple(r for r in everyone.rows if r.person_id in wanted)
    assert scoped[[i.code for i in indicators].index("AS1")].denominator_ids == {in_time}
    # With the authority's rows cached, the team's are cut from them: the same rows.
    compute_all(indicators, context(), AUTHORITY)
    cut = compute_all(indicators, context(), scope)
    assert [r.rows for r in cut] == [r.rows for r in scoped]


def test_a_cached_drill_down_still_applies_visibility_and_audits_each_child(
    client: Client,
    manager: User,
    team: Team,
    make_user: Callable[..., User],
    cohort: tuple[Record, list[int]],
) -> None:
    _, (in_time, late) = cohort
    AllocationFactory.create(person_id=in_time, team=team, start_date=D(2025, 1, 1))
    elsewhere = TeamFactory.create(name="Elsewhere")
    AllocationFactory.create(person_id=late, team=elsewhere, start_date=D(2025, 1, 1))
    analyst = make_user(Role.ANALYST, username="ana")
    client.force_login(analyst)
    assert client.get(f"/indicators/?{QUERY}").status_code == 200  # the figures, now cached
    assert client.get(f"/indicators/AS1/?{QUERY}").status_code == 200
    client.force_login(manager)
    body = client.get(f"/indicators/AS1/?{QUERY}").content.decode()
    assert "(1 of 2)" in body
    assert f'href="/people/{in_time}/"' in body
    assert f'href="/people/{late}/"' not in body
    viewed = AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, extra__indicator="AS1"
    )
    assert sorted(viewed.values_list("acting_user__username", "subject_person_id")) == sorted(
        [("ana", in_time), ("ana", late), (manager.username, in_time)]
    )


def test_kept_results_are_moved_out_of_the_collectors_reach(
    cohort: tuple[Record, list[int]],
) -> None:
    """Counted and kept, the rows are frozen (ADR 0041): the collector's passes no longer walk
    them; with the cache off nothing is frozen."""
    indicator = catalogue.BY_CODE["AS1"]
    try:
        with override_settings(INDICATOR_RESULT_CACHE_ROWS=0):
            before = gc.get_freeze_count()
            compute(indicator, context(), AUTHORITY)
            assert gc.get_freeze_count() == before
        result = compute(indicator, context(), AUTHORITY)
        assert gc.get_freeze_count() > before
        young = {id(thing) for thing in gc.get_objects()}
        assert result.rows
        assert not any(id(row) in young for row in result.rows)
    finally:
        gc.unfreeze()
