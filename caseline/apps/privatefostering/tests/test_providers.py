"""What the app adds to the child's record: summary, badges, due work and its query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from caseline.apps.accounts.models import User
from caseline.apps.people.models import Person
from caseline.apps.people.tests.due import check_links
from caseline.apps.privatefostering import actions, providers

D = datetime.date


def _notify(worker: User, child: Person) -> Any:
    return actions.record_notification(
        acting_user=worker,
        child=child,
        notified_on=D(2025, 4, 17),
        notified_by="parent",
        carer_name="Bea Okafor",
    )


def test_due_work_first_visit_then_six_weekly(worker: User, child: Person) -> None:
    arrangement = _notify(worker, child)
    items = providers.due_for([child.pk], D(2025, 4, 25))
    assert [(i.title, i.timeliness.due_date) for i in items] == [
        ("First visit to a privately fostered child", D(2025, 4, 30)),
        # 42 working days, skipping Good Friday, Easter Monday and both May bank holidays.
        ("Private fostering decision", D(2025, 6, 20)),
    ]
    assert check_links(items) == {"privatefostering:visit-new", "privatefostering:decision"}
    actions.record_private_fostering_visit(
        acting_user=worker,
        arrangement=arrangement,
        visit_date=D(2025, 4, 24),
        child_seen=True,
        child_seen_alone=True,
        observations="Settled.",
    )
    items = providers.due_for([child.pk], D(2025, 4, 25))
    assert (items[0].title, items[0].timeliness.due_date) == (
        "Visit to a privately fostered child (first year)",
        D(2025, 6, 5),
    )


def test_ended_arrangements_have_no_due_work(worker: User, child: Person) -> None:
    arrangement = _notify(worker, child)
    actions.end_arrangement(
        acting_user=worker, arrangement=arrangement, ended_on=D(2025, 4, 20), end_reason="Home"
    )
    assert providers.due_for([child.pk], D(2025, 4, 25)) == []


def test_young_carer_assessment_is_due_until_done(worker: User, child: Person) -> None:
    actions.record_young_carer(
        acting_user=worker,
        child=child,
        identified_on=D(2025, 5, 1),
        cares_for="Mum",
        caring_role="Shopping and cooking",
    )
    items = providers.due_for([child.pk], D(2025, 5, 2))
    assert [i.title for i in items] == ["Young carer's needs assessment"]
    assert check_links(items) == {"privatefostering:young-carer-assessed"}


def test_due_work_queries_do_not_grow_with_children(
    worker: User, make_child: Callable[..., Person], django_assert_max_num_queries: Any
) -> None:
    children = [make_child(f"Child{n}") for n in range(6)]
    for child in children:
        _notify(worker, child)
        actions.record_young_carer(
            acting_user=worker,
            child=child,
            identified_on=D(2025, 5, 1),
            cares_for="Dad",
            caring_role="Care",
        )
    with django_assert_max_num_queries(3):
        items = providers.due_for([c.pk for c in children], D(2025, 5, 2))
    assert len(items) == 18


def test_summary_and_badges(worker: User, child: Person) -> None:
    assert providers.summary(child, D(2025, 4, 25)) == []
    _notify(worker, child)
    actions.record_young_carer(
        acting_user=worker,
        child=child,
        identified_on=D(2025, 4, 18),
        cares_for="Grandad",
        caring_role="Company and meals",
    )
    blocks = providers.summary(child, D(2025, 4, 25))
    assert [b.title for b in blocks] == ["Private fostering", "Young carer"]
    assert ("Private foster carer", "Bea Okafor") in blocks[0].rows
    assert ("Caring role", "Company and meals") in blocks[1].rows
    assert [b.text for b in providers.badges(child, D(2025, 4, 25))] == [
        "Privately fostered",
        "Young carer",
    ]


def test_chronology_tells_the_arrangement_and_the_caring_role(
    worker: User, manager: User, child: Person
) -> None:
    from caseline.apps.chronology.queries import chronology_for

    arrangement = _notify(worker, child)
    actions.record_private_fostering_visit(
        acting_user=worker,
        arrangement=arrangement,
        visit_date=D(2025, 4, 24),
        child_seen=False,
        child_seen_alone=False,
        observations="Nobody home.",
    )
    actions.record_young_carer(
        acting_user=worker,
        child=child,
        identified_on=D(2025, 5, 1),
        cares_for="Mum",
        caring_role="Shopping",
    )
    texts = [e.what_happened for e in providers.chronology(child, _held(child))]
    assert texts == [
        "Private fostering notified by a parent or someone with parental responsibility: "
        "Ada lives with Bea Okafor.",
        "Private fostering visit. Ada was not seen. Nobody home.",
        "Identified as a young carer for Mum: Shopping",
    ]
    assert any("Ada was not seen" in e.what_happened for e in chronology_for(child))


def _held(child: Person) -> Any:
    from caseline.apps.people.queries import records_held

    return records_held(child, ["privatefostering"])
