"""What the record's own actions refuse, the generator does not make: the SSD import
(``caseline ssd import``) puts a generated authority through those actions, and set aside
people for each of these (issue 18)."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.db.models import F, Q

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.frontdoor.models import Contact, EarlyHelpEpisode
from caseline.apps.lookedafter.models import Episode, PreviousPermanence
from caseline.apps.people.duplicates import probable_duplicates
from caseline.apps.people.models import Address, Person
from caseline.apps.protection.models import StrategyDiscussion
from caseline.apps.recording.models import CaseNote
from caseline.apps.synthetic import names
from caseline.apps.synthetic.generator import Builder, Parameters
from caseline.apps.synthetic.generator.core import Batch, Generation, at
from caseline.apps.synthetic.generator.families import name_born, new_person
from caseline.apps.synthetic.generator.lookedafter import new_permanence

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2026, 11, 2)
# Big enough that the generator before issue 18 made each of these defects with this seed.
SMALL = Parameters(children=300, years=4, seed=11, as_at=AS_AT)


def test_no_address_begins_before_its_persons_birth() -> None:
    """A child born after the family moved has only the new home, from birth."""
    Builder(SMALL).run()
    assert Address.objects.filter(person__date_of_birth__isnull=False).exists()
    early = Address.objects.filter(start_date__lt=F("person__date_of_birth"))
    assert list(early.values_list("person_id", "start_date", "person__date_of_birth")) == []
    ended_early = Address.objects.filter(end_date__lte=F("person__date_of_birth"))
    assert not ended_early.exists()


def test_a_child_has_one_early_help_episode_open_at_a_time() -> None:
    Builder(SMALL).run()
    by_child: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for child, start, end in EarlyHelpEpisode.objects.values_list(
        "person_id", "start_date", "end_date"
    ):
        by_child[child].append((start, end or datetime.date.max))
    assert sum(len(episodes) > 1 for episodes in by_child.values()) > 5  # the check bites
    overlapping = [
        (child, before, after)
        for child, episodes in by_child.items()
        for before, after in zip(sorted(episodes), sorted(episodes)[1:], strict=False)
        if after[0] < before[1]
    ]
    assert overlapping == []


def test_nothing_is_timed_later_than_the_moment_the_authority_is_as_at() -> None:
    """As at today, as ``caseline generate`` makes it by default: at 10:00, no contact (nor
    its decision, a note, an assessment's submission or return, a strategy discussion) is
    timed later, though the day has contacts."""
    now = at(AS_AT, 10)
    Builder(Parameters(children=300, years=2, seed=11, as_at=AS_AT, now=now)).run()
    contacts = Contact.objects.filter(received_at__date=AS_AT)
    assert contacts.exists()  # the check bites
    later = {
        "contacts": Contact.objects.filter(Q(received_at__gt=now) | Q(decided_at__gt=now)),
        "notes": CaseNote.objects.filter(occurred_at__gt=now),
        "assessments": Assessment.objects.filter(submitted_at__gt=now),
        "returns": AssessmentReturn.objects.filter(returned_at__gt=now),
        "strategy": StrategyDiscussion.objects.filter(held_at__gt=now),
    }
    assert {what: rows.count() for what, rows in later.items() if rows.exists()} == {}


def test_the_end_of_the_as_at_day_when_no_moment_is_given() -> None:
    generation = Generation(Parameters(children=1, years=1, seed=1, as_at=AS_AT))
    assert generation.at(AS_AT, 18, 45) == at(AS_AT, 18, 45)
    now = at(AS_AT, 9, 30)
    generation = Generation(Parameters(children=1, years=1, seed=1, as_at=AS_AT, now=now))
    assert generation.at(AS_AT, 18, 45) == now
    assert generation.at(AS_AT - datetime.timedelta(days=1), 18) == at(AS_AT, 18) - (
        datetime.timedelta(days=1)
    )


def test_nobody_is_generated_twice() -> None:
    """The same draws twice (same NHS number, name and date of birth) still give two people
    the duplicate check tells apart: another NHS number and another first name."""
    generation = Generation(SMALL)
    batch = Batch()
    born = datetime.date(2015, 6, 1)
    state = generation.rng.getstate()
    people = []
    for _ in range(2):
        generation.rng.setstate(state)
        person = new_person(
            generation, batch, "Amelia", "Thornfield", "F", born, "WBRI", "",
            child=True, given_names=names.GIVEN_NAMES_FEMALE,
        )  # fmt: skip
        people.append(person)
    first, second = people
    assert second.nhs_number != first.nhs_number
    assert second.upn != first.upn
    assert second.given_name != first.given_name
    first.save()
    matches = probable_duplicates(
        given_name=second.given_name,
        family_name=second.family_name,
        date_of_birth=second.date_of_birth,
        nhs_number=second.nhs_number,
        upn=second.upn,
    )
    assert matches == []


def test_someone_whose_every_name_is_taken_that_day_is_born_a_day_earlier() -> None:
    """A family name every first name of which someone born that day already has (children
    born in the month before the as-at date share one birthday) was drawn from forever, and
    a 50,000-child authority as at 4 December 2026 never finished generating."""
    generation = Generation(SMALL)
    born = datetime.date(2026, 11, 4)
    for given in names.GIVEN_NAMES_FEMALE:
        name_born(generation, given, "Chavan", born)
    person = new_person(
        generation, Batch(), "Sofia", "Chavan", "F", born, "ASIN", "",
        child=True, given_names=names.GIVEN_NAMES_FEMALE,
    )  # fmt: skip
    assert person.date_of_birth == born - datetime.timedelta(days=1)
    assert person.given_name in names.GIVEN_NAMES_FEMALE


def test_a_generated_authority_has_no_duplicates() -> None:
    Builder(SMALL).run()
    for field in ("nhs_number", "upn", "former_upn"):
        values = [v for v in Person.objects.values_list(field, flat=True) if v]
        assert len(values) == len(set(values)), field
    seen: set[tuple[datetime.date | None, str, str]] = set()
    for key in Person.objects.values_list("date_of_birth", "phonetic_given", "phonetic_family"):
        assert key not in seen
        seen.add(key)


def test_a_child_has_one_previous_permanence_row_for_their_latest_period_of_care() -> None:
    """A child looked after twice: the second period's row takes the first's place."""
    generation = Generation(SMALL)
    batch = Batch()
    child = Person(given_name="Amelia", family_name="Thornfield", date_of_birth=AS_AT.replace(2012))
    worker = User(username="sw.0001")
    first = Episode(person=child, start_date=datetime.date(2022, 5, 1), placement_type="U1")
    second = Episode(person=child, start_date=datetime.date(2025, 2, 3), placement_type="U1")
    other = Person(given_name="Omar", family_name="Brammore", date_of_birth=AS_AT.replace(2011))
    elsewhere = Episode(person=other, start_date=datetime.date(2024, 1, 8), placement_type="U1")
    end = datetime.date(2022, 9, 1)
    new_permanence(generation, batch, child, worker, [first], end)
    new_permanence(generation, batch, other, worker, [elsewhere], AS_AT)
    new_permanence(generation, batch, child, worker, [second], AS_AT)
    rows = [r for r in batch.rows[PreviousPermanence] if isinstance(r, PreviousPermanence)]
    assert [(r.person, r.episode) for r in rows] == [(second.person, second), (other, elsewhere)]
