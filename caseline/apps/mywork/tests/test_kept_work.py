"""A child's due work kept until their record changes (ADR 0043): worked out once, then a
lookup; a change about the child works out theirs alone again, a change about no child (a
local standard) everyone's, a read or a sign-in nobody's; a new as-at day or another set of
apps is worked out apart; and at most ``DUE_WORK_KEPT_CHILDREN`` children are kept."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.record import record_event, record_view
from caseline.apps.cin.actions import record_visit
from caseline.apps.mywork.tests.conftest import TODAY
from caseline.apps.people.contribution import DueItem
from caseline.apps.people.kept_work import KEPT
from caseline.apps.people.models import Person
from caseline.apps.people.summary import work_items
from caseline.apps.timescales.actions import set_local_standard

D = datetime.date


@pytest.fixture(autouse=True)
def _kept_on() -> Iterator[None]:
    """Keeping on and empty (the test settings keep nothing)."""
    KEPT.clear()
    with override_settings(DUE_WORK_KEPT_CHILDREN=100):
        yield
    KEPT.clear()


def everyone(varied: dict[str, Person]) -> list[int]:
    return [child.pk for child in varied.values()]


def worked_out(ids: list[int], as_at: datetime.date = TODAY) -> tuple[list[DueItem], int]:
    """The children's due work, and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        items = work_items(ids, as_at)
    return items, len(queries)


def ordered(items: list[DueItem]) -> list[DueItem]:
    return sorted(items, key=lambda i: (i.person_id, i.rule_code, i.timeliness.due_date))


def visit_due(items: list[DueItem], child: Person) -> datetime.date:
    (item,) = [i for i in items if i.person_id == child.pk and i.rule_code == "cin-visit"]
    return item.timeliness.due_date


def test_a_childs_work_is_worked_out_once_then_looked_up(varied: dict[str, Person]) -> None:
    first, first_queries = worked_out(everyone(varied))
    again, again_queries = worked_out(everyone(varied))
    assert ordered(again) == ordered(first)
    assert first_queries > 2
    assert again_queries == 2  # the newest change about each child, and about no child
    with override_settings(DUE_WORK_KEPT_CHILDREN=0):
        KEPT.clear()
        worked_out(everyone(varied))
        assert len(KEPT) == 0  # keeping off keeps nothing


def test_a_change_about_one_child_works_out_theirs_alone_again(
    varied: dict[str, Person], worker: User
) -> None:
    planned, plain = varied["with_plan"], varied["plain"]
    before, _ = worked_out(everyone(varied))
    assert visit_due(before, planned) == D(2025, 3, 31)  # last seen 3 March
    kept_plain = [i for i in before if i.person_id == plain.pk]
    record_visit(
        acting_user=worker,
        child=planned,
        visit_date=D(2025, 6, 9),
        child_seen=True,
        child_seen_alone=True,
        seen_bedroom=True,
        purpose="Visit",
        observations="Observed",
    )
    after, _ = worked_out(everyone(varied))
    assert visit_due(after, planned) == D(2025, 7, 7)  # seen 9 June + 20 working days
    # The other children's items are the very objects kept, not worked out again.
    assert all(any(i is k for k in kept_plain) for i in after if i.person_id == plain.pk), (
        "the plain child's kept items"
    )
    with override_settings(DUE_WORK_KEPT_CHILDREN=0):
        assert ordered(after) == ordered(work_items(everyone(varied), TODAY))


def test_a_change_about_no_child_works_out_everyone_again(
    varied: dict[str, Person], make_user: Callable[..., User]
) -> None:
    planned = varied["with_plan"]
    assert visit_due(worked_out(everyone(varied))[0], planned) == D(2025, 3, 31)
    set_local_standard(
        acting_user=make_user(Role.ADMINISTRATOR),
        rule_code="cin-visit",
        unit="working_days",
        count=10,
        reason="Board",
    )
    assert visit_due(worked_out(everyone(varied))[0], planned) == D(2025, 3, 17)


def test_reads_and_signing_in_change_nothing_kept(varied: dict[str, Person], worker: User) -> None:
    worked_out(everyone(varied))
    record_view(acting_user=worker, subject=varied["with_plan"])
    with transaction.atomic():
        record_event(acting_user=worker, event_type=EventType.SIGNED_IN)
    _, queries = worked_out(everyone(varied))
    assert queries == 2


def test_a_new_day_and_another_set_of_apps_are_worked_out_apart(
    varied: dict[str, Person],
) -> None:
    ids = everyone(varied)
    worked_out(ids)
    _, next_day = worked_out(ids, TODAY + datetime.timedelta(days=1))
    assert next_day > 2
    with CaptureQueriesContext(connection) as queries:
        cin_only = work_items(ids, TODAY, apps=["cin"])
    assert len(queries) > 2  # not the kept items of every app
    with override_settings(DUE_WORK_KEPT_CHILDREN=0):
        assert ordered(cin_only) == ordered(work_items(ids, TODAY, apps=["cin"]))
    assert 0 < len(cin_only) < len(work_items(ids, TODAY))


def test_at_most_the_setting_keeps_the_least_recently_used_going_first(
    varied: dict[str, Person],
) -> None:
    ids = everyone(varied)
    with override_settings(DUE_WORK_KEPT_CHILDREN=3):
        worked_out(ids)
        assert len(KEPT) == 3
        _, queries = worked_out(ids[-3:])  # the three asked last are kept
        assert queries == 2
        _, queries = worked_out(ids[:1])
        assert queries > 2
