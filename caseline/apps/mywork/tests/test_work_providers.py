"""The bulk work providers give the same items as each child's own due items."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseline.apps.assessments import providers as assessment_providers
from caseline.apps.cin import providers as cin_providers
from caseline.apps.frontdoor import providers as frontdoor_providers
from caseline.apps.mywork.tests.conftest import TODAY
from caseline.apps.people import summary
from caseline.apps.people.models import Person
from caseline.apps.people.summary import DueItem
from caseline.apps.recording import providers as recording_providers

D = datetime.date

PAIRS = [
    pytest.param(
        frontdoor_providers.contact_decisions_work,
        frontdoor_providers.contact_decisions_due,
        id="frontdoor",
    ),
    pytest.param(assessment_providers.work_items, assessment_providers.due_items, id="assessments"),
    pytest.param(cin_providers.plan_work_items, cin_providers.plan_due_items, id="cin"),
    pytest.param(
        recording_providers.recording_work, recording_providers.recording_due, id="recording"
    ),
]


@pytest.mark.parametrize(("bulk", "single"), PAIRS)
def test_bulk_items_equal_each_childs_items(
    varied: dict[str, Person], bulk: Any, single: Any
) -> None:
    together = bulk([p.pk for p in varied.values()], TODAY)
    assert together, "the varied children give this provider something to do"
    for child in varied.values():
        mine = [i for i in together if i.person_id == child.pk]
        assert mine == single(child, TODAY), child.given_name


@pytest.mark.parametrize(("bulk", "single"), PAIRS)
def test_bulk_items_are_only_for_the_children_asked_about(
    varied: dict[str, Person], bulk: Any, single: Any
) -> None:
    everyone = [p.pk for p in varied.values()]
    together = bulk(everyone, TODAY)
    left_out = together[0].person_id
    asked = [pk for pk in everyone if pk != left_out]
    assert bulk(asked, TODAY) == [i for i in together if i.person_id != left_out]


@pytest.mark.parametrize(("bulk", "single"), PAIRS)
def test_each_bulk_provider_is_registered_in_place_of_its_per_person_one(
    bulk: Any, single: Any
) -> None:
    assert (bulk, single) in summary._work_providers
    assert single in summary._due_providers


def _by_child(items: list[DueItem], child: Person) -> dict[str, D]:
    return {i.title: i.timeliness.due_date for i in items if i.person_id == child.pk}


def test_the_varied_children_get_the_expected_items(
    varied: dict[str, Person], only_bulk_providers: None
) -> None:
    items = summary.work_items(Person.objects.all(), TODAY)
    assert _by_child(items, varied["with_plan"]) == {
        "Child in need plan review": D(2025, 7, 28),  # review on 28 April + 3 months
        "Child in need visit": D(2025, 3, 31),  # last seen 3 March + 20 working days
        "Supervision due": D(2025, 2, 3),  # allocated 6 January + 4 weeks
        "Management oversight due": D(2025, 4, 6),  # allocated 6 January + 3 months
    }
    assert _by_child(items, varied["awaiting_plan"])["Child in need plan"] == D(2025, 3, 6)
    assert _by_child(items, varied["assessed"])["Assessment awaiting authorisation"] == D(
        2025, 3, 10
    )
    # Received Friday 6 June: due the next working day, Monday 9 June.
    assert _by_child(items, varied["contacted"]) == {"Contact decision": D(2025, 6, 9)}
    supervised = _by_child(items, varied["supervised"])
    assert supervised["Supervision due"] == D(2025, 5, 29)
    assert supervised["Supervision action: Visit school"] == D(2025, 5, 20)
    assert supervised["Assessment"] == D(2025, 3, 10)
    assert set(_by_child(items, varied["plain"])) == {"Supervision due", "Management oversight due"}


def test_due_items_for_one_child_use_the_bulk_providers(
    varied: dict[str, Person], only_bulk_providers: None
) -> None:
    child = varied["with_plan"]
    everyone = summary.work_items(Person.objects.all(), TODAY)
    mine = sorted(
        (i for i in everyone if i.person_id == child.pk), key=lambda i: i.timeliness.due_date
    )
    assert summary.due_items(child, TODAY) == mine


def test_a_per_person_provider_is_the_fallback_once_per_child(
    make_child: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    children = [make_child() for _ in range(3)]
    seen: list[int] = []

    def legacy(person: Person, as_at: D) -> list[DueItem]:
        seen.append(person.pk)
        return []

    monkeypatch.setattr(summary, "_due_providers", [legacy])
    monkeypatch.setattr(summary, "_work_providers", [])
    summary.work_items(Person.objects.filter(pk__in=[c.pk for c in children]), TODAY)
    assert sorted(seen) == sorted(c.pk for c in children)
    summary.due_items(children[0], TODAY)
    assert seen[-1] == children[0].pk


def test_a_work_provider_replacing_nothing_is_called_too(
    make_child: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    child = make_child()
    calls: list[int] = []

    def extra(person_ids: Any, as_at: D) -> list[DueItem]:
        calls.append(len(person_ids))
        return []

    monkeypatch.setattr(summary, "_due_providers", [])
    monkeypatch.setattr(summary, "_work_providers", [])
    summary.register_work_provider(extra)
    summary.register_work_provider(extra)  # registering twice keeps one
    assert len(summary._work_providers) == 1
    summary.due_items(child, TODAY)
    assert calls == [1]


def test_bulk_providers_make_the_same_number_of_queries_for_one_child_or_thirty(
    make_child: Callable[..., Person],
    varied: dict[str, Person],
    only_bulk_providers: None,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(30):
        make_child()
    with django_assert_max_num_queries(14):
        summary.work_items(Person.objects.all(), TODAY)
    with django_assert_max_num_queries(14):
        summary.work_items(Person.objects.filter(pk=varied["plain"].pk), TODAY)


def test_the_local_standards_are_read_once_for_a_child_or_a_team(
    varied: dict[str, Person], only_bulk_providers: None
) -> None:
    def standards_reads(run: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as queries:
            run()
        return sum("timescales_localstandardsetting" in q["sql"] for q in queries)

    everyone = [p.pk for p in varied.values()]
    assert standards_reads(lambda: summary.work_items(everyone, TODAY)) == 1
    assert standards_reads(lambda: summary.due_items(varied["with_plan"], TODAY)) == 1
