"""Family events in the child's chronology: the wording of each, its significance, and the
fixed number of queries however big the family."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.people import actions
from caseline.apps.people.chronology import family_chronology
from caseline.apps.people.contribution import Category, contributions
from caseline.apps.people.models import Person, Relationship
from caseline.apps.people.providers import CONTRIBUTION
from caseline.apps.people.queries import RecordsHeld

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = Relationship.Kind


def _texts(child: Person) -> dict[str, Any]:
    return {e.what_happened: e for e in family_chronology(child, RecordsHeld.not_asked(child))}


def test_the_app_contributes_its_chronology() -> None:
    assert contributions(["people"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is family_chronology
    assert CONTRIBUTION.chronology_from_own_records is False


def test_a_child_who_died_and_a_child_of_their_own(
    front_door: User, make_person: Callable[..., Person]
) -> None:
    child = make_person("Tia", date_of_birth=D(2008, 1, 5), sex="F", date_of_death=D(2025, 3, 1))
    baby = make_person("Rey", date_of_birth=D(2024, 12, 1), sex="M")
    actions.record_relationship(acting_user=front_door, person=child, other=baby, kind=Kind.PARENT)
    entries = _texts(child)
    died = entries["Tia died."]
    assert died.significant
    assert died.why_it_matters
    assert died.date == D(2025, 3, 1)
    assert entries["Tia was born."].category == Category.FAMILY
    assert not entries["Tia was born."].significant
    # Tia is Rey's parent, so Rey is her son; no entry for a relationship without dates.
    assert [e for e in entries if "Rey" in e] == []


def test_carers_starting_and_leaving_and_other_relationships(
    front_door: User, make_person: Callable[..., Person]
) -> None:
    child = make_person("Kai", date_of_birth=D(2014, 2, 2), sex="M")
    carer = make_person("Jo", "Carer", sex="U")
    gran = make_person("Edna", "Gran", sex="F")
    friend = make_person("Sol", "Friend", sex="M")
    care = actions.record_relationship(
        acting_user=front_door,
        person=carer,
        other=child,
        kind=Kind.CARER,
        start_date=D(2022, 1, 10),
        note="kinship arrangement",
    )
    actions.end_relationship(acting_user=front_door, relationship=care, end_date=D(2023, 6, 1))
    actions.record_relationship(
        acting_user=front_door,
        person=gran,
        other=child,
        kind=Kind.GRANDPARENT,
        start_date=D(2014, 3, 1),
    )
    pal = actions.record_relationship(
        acting_user=front_door,
        person=child,
        other=friend,
        kind=Kind.FRIEND,
        start_date=D(2020, 9, 1),
    )
    actions.end_relationship(acting_user=front_door, relationship=pal, end_date=D(2021, 9, 1))
    entries = _texts(child)
    began = entries["Jo Carer became Kai's carer. Kinship arrangement."]
    assert began.significant
    assert began.date == D(2022, 1, 10)
    left = entries["Jo Carer stopped being Kai's carer. Kinship arrangement."]
    assert left.significant
    assert left.why_it_matters == "The adults caring for the child have changed."
    gran_entry = entries["Kai's relationship with their grandmother, Edna Gran, began."]
    assert not gran_entry.significant
    assert "Kai's relationship with their friend, Sol Friend, ended." in entries
    assert "Kai's relationship with their friend, Sol Friend, began." in entries


def test_parents_getting_together_is_not_flagged_but_separating_is(
    front_door: User, make_person: Callable[..., Person]
) -> None:
    child = make_person("Noa", date_of_birth=D(2016, 4, 4), sex="U")
    mum = make_person("Ana", "Parent", sex="F")
    dad = make_person("Ben", "Parent", sex="M")
    for parent in (mum, dad):
        actions.record_relationship(
            acting_user=front_door, person=parent, other=child, kind=Kind.PARENT
        )
    couple = actions.record_relationship(
        acting_user=front_door, person=dad, other=mum, kind=Kind.PARTNER, start_date=D(2014, 1, 1)
    )
    actions.end_relationship(acting_user=front_door, relationship=couple, end_date=D(2020, 1, 1))
    entries = _texts(child)
    together = entries[
        "Ben Parent (Noa's father) and Ana Parent (Noa's mother) began a relationship."
    ]
    assert not together.significant
    separated = entries["Ben Parent (Noa's father) and Ana Parent (Noa's mother) separated."]
    assert separated.significant
    assert separated.date == D(2020, 1, 1)


def test_alerts_show_when_they_ended(front_door: User, make_person: Callable[..., Person]) -> None:
    child = make_person("Ola", date_of_birth=None)
    actions.add_alert(
        acting_user=front_door,
        person=child,
        text="Risk to lone workers",
        start_date=D(2024, 1, 2),
        end_date=D(2024, 5, 6),
    )
    [entry] = family_chronology(child, RecordsHeld.not_asked(child))
    assert entry.what_happened == (
        "Alert added to Ola's record: Risk to lone workers. It ended on 6 May 2024."
    )
    assert entry.href == f"/people/{child.pk}/"


def test_four_queries_however_big_the_family(
    front_door: User, make_person: Callable[..., Person], django_assert_num_queries: Any
) -> None:
    child = make_person("Big", date_of_birth=D(2015, 1, 1))
    for n in range(6):
        parent = make_person(f"Parent{n}", date_of_death=D(2024, 1, n + 1))
        actions.record_relationship(
            acting_user=front_door,
            person=parent,
            other=child,
            kind=Kind.STEP_PARENT,
            start_date=D(2016, 1, n + 1),
        )
        partner = make_person(f"Partner{n}")
        actions.record_relationship(
            acting_user=front_door,
            person=parent,
            other=partner,
            kind=Kind.PARTNER,
            start_date=D(2017, 1, n + 1),
        )
        actions.add_address(
            acting_user=front_door,
            person=child,
            line_1=f"{n} Long Road",
            postcode="NT1 2AB",
            start_date=D(2018, 1, n + 1),
            end_previous=True,
        )
    with django_assert_num_queries(4):
        entries = family_chronology(child, RecordsHeld.not_asked(child))
    assert sum(1 for e in entries if "began a relationship" in e.what_happened) == 6
    assert sum(1 for e in entries if e.what_happened.endswith("died.")) == 6
    assert sum(1 for e in entries if "moved to" in e.what_happened) == 5
