"""Due work for many children: each app answers for all of them at once, and a child's items
are the same asked alone or with others."""

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
from caseline.apps.people import contribution, summary
from caseline.apps.people.contribution import Doer, DueItem, RecordContribution, contributions
from caseline.apps.people.models import Person
from caseline.apps.people.tests.due import check_links
from caseline.apps.recording import providers as recording_providers

D = datetime.date

# Each app's bulk due work, as its contribution gives it.
APPS = [
    pytest.param("frontdoor", frontdoor_providers.contact_decisions_work, id="frontdoor"),
    pytest.param("assessments", assessment_providers.work_items, id="assessments"),
    pytest.param("cin", cin_providers.plan_work_items, id="cin"),
    pytest.param("recording", recording_providers.recording_work, id="recording"),
]


@pytest.mark.parametrize(("app", "bulk"), APPS)
def test_each_child_gets_the_same_items_asked_alone_or_with_others(
    varied: dict[str, Person], app: str, bulk: Any
) -> None:
    together = bulk([p.pk for p in varied.values()], TODAY)
    assert together, "the varied children give this app something to do"
    for child in varied.values():
        mine = [i for i in together if i.person_id == child.pk]
        assert mine == bulk([child.pk], TODAY), child.given_name


@pytest.mark.parametrize(("app", "bulk"), APPS)
def test_bulk_items_are_only_for_the_children_asked_about(
    varied: dict[str, Person], app: str, bulk: Any
) -> None:
    everyone = [p.pk for p in varied.values()]
    together = bulk(everyone, TODAY)
    left_out = together[0].person_id
    asked = [pk for pk in everyone if pk != left_out]
    assert bulk(asked, TODAY) == [i for i in together if i.person_id != left_out]


@pytest.mark.parametrize(("app", "bulk"), APPS)
def test_each_app_gives_its_due_work_through_its_contribution(
    varied: dict[str, Person], app: str, bulk: Any
) -> None:
    [contribution] = contributions([app])
    everyone = [p.pk for p in varied.values()]
    assert contribution.due_for(everyone, TODAY) == bulk(everyone, TODAY)


def _by_child(items: list[DueItem], child: Person) -> dict[str, D]:
    return {i.title: i.timeliness.due_date for i in items if i.person_id == child.pk}


def test_the_varied_children_get_the_expected_items(varied: dict[str, Person]) -> None:
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


def test_due_items_for_one_child_are_its_work_items(varied: dict[str, Person]) -> None:
    child = varied["with_plan"]
    everyone = summary.work_items(Person.objects.all(), TODAY)
    mine = sorted(
        (i for i in everyone if i.person_id == child.pk), key=lambda i: i.timeliness.due_date
    )
    assert summary.due_items(child, TODAY) == mine


def test_each_app_is_asked_once_for_all_the_children(
    make_child: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    children = [make_child() for _ in range(3)]
    calls: list[list[int]] = []

    def due_for(person_ids: Any, as_at: D) -> list[DueItem]:
        calls.append(list(person_ids))
        return []

    # In the name of an installed app with no contribution of its own.
    counting = RecordContribution(app_label="genogram", due_for=due_for)
    monkeypatch.setattr(contribution, "_registered", {})
    contribution.register_contribution(counting)
    contribution.register_contribution(counting)  # registering again keeps one
    assert len(contribution.contributions()) == 1
    summary.work_items(Person.objects.filter(pk__in=[c.pk for c in children]), TODAY)
    assert calls == [sorted(c.pk for c in children)]
    summary.due_items(children[0], TODAY)
    assert calls[-1] == [children[0].pk]
    summary.work_items([children[0].pk], TODAY, apps=["cin"])
    assert len(calls) == 2  # an app not asked for is not called


def test_bulk_providers_make_the_same_number_of_queries_for_one_child_or_thirty(
    make_child: Callable[..., Person],
    varied: dict[str, Person],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(30):
        make_child()
    with django_assert_max_num_queries(17):  # 3 of them case audits and IRO challenges
        summary.work_items(Person.objects.all(), TODAY)
    with django_assert_max_num_queries(17):  # 3 of them case audits and IRO challenges
        summary.work_items(Person.objects.filter(pk=varied["plain"].pk), TODAY)


def test_the_local_standards_are_read_once_for_a_child_or_a_team(
    varied: dict[str, Person],
) -> None:
    def standards_reads(run: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as queries:
            run()
        return sum("timescales_localstandardsetting" in q["sql"] for q in queries)

    everyone = [p.pk for p in varied.values()]
    assert standards_reads(lambda: summary.work_items(everyone, TODAY)) == 1
    assert standards_reads(lambda: summary.due_items(varied["with_plan"], TODAY)) == 1


def test_every_item_links_to_a_form_that_declares_its_permission(
    varied: dict[str, Person],
) -> None:
    """Issue 22: an item's link is where the work is done, and the item knows the permission
    that page needs, so each page can show it only to those who may do it."""
    items = summary.work_items(Person.objects.all(), TODAY)
    assert check_links(items) == {
        "frontdoor:contact-decide",
        "assessments:authorise",
        "assessments:edit",
        "cin:plan-new",
        "cin:review-new",
        "cin:visit-new",
        "recording:supervision-new",
        "recording:oversight-new",
        "recording:supervision-action-done",
    }
    doers = {(i.title.split(":")[0], i.doer) for i in items}
    assert ("Supervision due", Doer.TEAM_MANAGER) in doers
    assert ("Management oversight due", Doer.TEAM_MANAGER) in doers
    assert ("Assessment awaiting authorisation", Doer.TEAM_MANAGER) in doers
    assert ("Supervision action", Doer.SOCIAL_WORKER) in doers
    assert ("Contact decision", Doer.FRONT_DOOR) in doers


def test_who_is_to_do_it_is_said_in_words() -> None:
    assert Doer.TEAM_MANAGER.for_whom("Tess Manager") == "For the team manager, Tess Manager"
    assert Doer.IRO.for_whom("Ana Chair") == "For the IRO, Ana Chair"
    assert Doer.SOCIAL_WORKER.for_whom() == "For the social worker: none allocated"
    assert Doer.TEAM_MANAGER.for_whom() == "For the team manager: none recorded"
    assert Doer.CONFERENCE_CHAIR.for_whom() == "For a conference chair"
    assert Doer.FRONT_DOOR.for_whom("Anyone") == "For the front door"
