"""The front door's chronology entries: contacts with decisions, referrals and closures,
early help and allocation, in plain sentences, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.chronology import frontdoor_chronology
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.frontdoor.providers import CONTRIBUTION
from caseline.apps.frontdoor.tests.conftest import at
from caseline.apps.people.contribution import Category, ChronologyEntry, contributions
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.queries import RecordsHeld

pytestmark = pytest.mark.django_db

D = datetime.date


def _contact(front_door: User, child: Person, day: D, **values: Any) -> Contact:
    values.setdefault("source", "3A")
    values.setdefault("concern", "GP worried about weight loss")
    return actions.record_contact(
        acting_user=front_door,
        received_at=at(day.year, day.month, day.day),
        consent=Contact.Consent.GIVEN,
        people=[(child, ContactPerson.Role.SUBJECT)],
        **values,
    )


def _one(entries: list[ChronologyEntry], start: str) -> ChronologyEntry:
    [entry] = [e for e in entries if e.what_happened.startswith(start)]
    return entry


def test_the_app_contributes_its_chronology() -> None:
    assert contributions(["frontdoor"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is frontdoor_chronology
    assert CONTRIBUTION.chronology_from_own_records is False


def test_an_undecided_contact_says_so_and_whether_it_is_overdue(
    front_door: User, child: Person
) -> None:
    _contact(front_door, child, D(2025, 1, 6), referrer_name="A neighbour", source="1B")
    [entry] = frontdoor_chronology(child, RecordsHeld.not_asked(child))
    assert entry.what_happened == (
        "Contact from A neighbour (someone who knows the family, such as a neighbour or "
        "childminder): GP worried about weight loss. No decision has been recorded "
        "yet. The decision is overdue: it was due by 7 January 2025."
    )
    assert entry.category == Category.CONTACT
    assert entry.recorded_by == "Fran Door"
    assert entry.href.endswith(f"/contacts/{entry.href.rstrip('/').rsplit('/', 1)[1]}/")
    assert not entry.significant


def test_a_decision_on_time_says_who_decided_and_why_without_a_late_flag(
    front_door: User, child: Person
) -> None:
    contact = _contact(front_door, child, D(2025, 1, 6))
    actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.NO_FURTHER_ACTION,
        rationale="the GP is already supporting the family",
        decided_at=at(2025, 1, 7, 9),
    )
    [entry] = frontdoor_chronology(child, RecordsHeld.not_asked(child))
    assert entry.what_happened.endswith(
        "Decided by Fran Door on 7 January 2025: no further action. Reason: The GP is already "
        "supporting the family."
    )
    assert "late" not in entry.what_happened


def test_referrals_closures_and_the_gap_since_the_last_referral(
    front_door: User, child: Person
) -> None:
    first = actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2023, 2, 1), source="3A"
    )
    actions.close_referral(
        acting_user=front_door,
        referral=first,
        closed_on=D(2023, 3, 1),
        closure_reason="RC8",
        closure_note="needs met by universal services",
        nfa=True,
    )
    actions.record_referral(
        acting_user=front_door,
        child=child,
        referral_date=D(2024, 4, 15),
        source="6",
        primary_need="N1",
    )
    entries = frontdoor_chronology(child, RecordsHeld.not_asked(child))
    opened = [e for e in entries if e.what_happened.startswith("Referral")]
    assert [e.what_happened for e in opened] == [
        "Referral to children's social care from a GP. This is the first referral on Ama's "
        "record. The referral led to no further action.",
        "Referral to children's social care from the police. Main need: abuse or neglect. "
        "The last referral was 14 months earlier.",
    ]
    assert all(e.significant and e.category == Category.REFERRAL for e in opened)
    assert opened[1].why_it_matters.startswith("A referral starts")
    closed = _one(entries, "Child in need episode closed")
    assert closed.what_happened == (
        "Child in need episode closed: no further help was needed after the assessment. "
        "Needs met by universal services."
    )
    assert closed.date == D(2023, 3, 1)
    assert closed.significant


def test_early_help_and_allocation_ending_without_a_successor(
    front_door: User, manager: User, child: Person, team: Team
) -> None:
    episode = actions.start_early_help(
        acting_user=front_door, child=child, start_date=D(2024, 1, 8), reason="school worries"
    )
    actions.end_early_help(
        acting_user=front_door,
        episode=episode,
        end_date=D(2024, 6, 3),
        end_reason="family moved away",
    )
    allocation = actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2024, 2, 1)
    )
    Allocation.objects.filter(pk=allocation.pk).update(end_date=D(2024, 7, 1))
    entries = frontdoor_chronology(child, RecordsHeld.not_asked(child))
    assert _one(entries, "Early help started").what_happened == (
        "Early help started. Reason: School worries."
    )
    assert _one(entries, "Early help ended").what_happened == "Early help ended. Family moved away."
    assert _one(entries, "Allocated to").recorded_by == "Tam Lead"
    stopped = _one(entries, "The case stopped")
    assert stopped.what_happened == (
        "The case stopped being allocated to Assessment Team Test (no social worker named yet)."
    )
    assert stopped.category == Category.ALLOCATION
    assert stopped.date == D(2024, 7, 1)


def test_on_one_day_the_contact_comes_before_the_referral_and_allocation_it_led_to(
    front_door: User, manager: User, child: Person, team: Team
) -> None:
    from caseline.apps.chronology.queries import chronology_for

    day = D(2025, 6, 23)
    contact = _contact(front_door, child, day)
    actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.REFERRAL,
        rationale="Referral needed",
        decided_at=at(day.year, day.month, day.day, 15),
    )
    actions.allocate_case(acting_user=manager, child=child, team=team, worker=None, start_date=day)
    on_the_day = [e.category for e in chronology_for(child) if e.date == day]
    assert on_the_day == [Category.CONTACT, Category.REFERRAL, Category.ALLOCATION]


def test_six_queries_however_long_the_history(
    front_door: User,
    make_person: Callable[..., Person],
    django_assert_num_queries: Any,
) -> None:
    child = make_person("Long")
    for year in range(2022, 2026):
        contact = _contact(front_door, child, D(year, 3, 4))
        actions.decide_contact(
            acting_user=front_door,
            contact=contact,
            decision=Contact.Decision.REFERRAL,
            rationale="Referral needed",
            decided_at=at(year, 3, 4, 15),
        )
        actions.record_step_down(
            acting_user=front_door, child=child, date=D(year, 6, 3), rationale="Better"
        )
        actions.record_step_up(
            acting_user=front_door, child=child, date=D(year, 9, 2), rationale="Worse"
        )
    with django_assert_num_queries(6):
        entries = frontdoor_chronology(child, RecordsHeld.not_asked(child))
    assert sum(1 for e in entries if e.what_happened.startswith("Referral")) == 4
    assert sum(1 for e in entries if e.what_happened.startswith("Stepped up")) == 4
