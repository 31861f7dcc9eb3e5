"""The pieces every plan shares beyond its outcomes: the child's identity (what is known of it,
and the check that a plan says how it meets it) and who may lead a child's plan."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Allocation, Person
from caseline.apps.plans.forms import lead_worker_field
from caseline.apps.plans.identity import IDENTITY_ASPECTS, IDENTITY_HINT, check_identity
from caseline.apps.plans.queries import (
    can_hold_cases,
    caseholders,
    identity_found,
    lead_workers,
)
from caseline.apps.plans.tests.assessed import assessed
from tests.factories import ChildFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_what_is_known_of_the_childs_identity(child: Person, worker: User) -> None:
    found = identity_found(child)
    assert (found.name, found.assessed_on, found.assessment, found.details) == ("Ada", None, "", ())
    assessed(child, worker, identity="First", authorised_on=D(2025, 2, 1))
    assessed(child, worker, identity=" Second ", authorised_on=D(2025, 3, 1))
    assessed(child, worker, identity="A draft", status="draft", authorised_on=None)
    child.preferred_name = "Addy"
    child.ethnicity = "WIRT"
    child.religion = "CHR"
    child.first_language = "Shelta"
    child.interpreter_needed = True
    child.disabilities = ["MOB", "HAND"]
    child.gender_identity = "NB"
    found = identity_found(child)
    assert (found.name, found.assessed_on, found.assessment) == ("Addy", D(2025, 3, 1), "Second")
    assert found.details == (
        ("Ethnicity", "Traveller of Irish heritage"),
        ("Religion", "Christian (all denominations)"),
        ("First language", "Shelta (needs an interpreter)"),
        ("Disability", "Mobility, Hand function"),
        ("Gender identity", "Non-binary"),
    )


def test_a_plan_must_say_how_it_meets_the_childs_identity_needs() -> None:
    checks = Checks()
    assert check_identity(checks, "Polish school on Saturdays")
    assert not check_identity(checks, "  \n ")
    with pytest.raises(ValidationError) as caught:
        checks.raise_if_any()
    assert caught.value.message_dict == {
        "identity_needs": ["Enter how the plan meets the child's identity needs"]
    }
    for aspect in IDENTITY_ASPECTS:
        assert aspect in IDENTITY_HINT


@pytest.fixture
def staff(make_user: Callable[..., User], team: Team) -> dict[str, User]:
    """Who works where: two in the child's team, two elsewhere, and some who hold no cases."""
    other = TeamFactory.create(name="Looked After West")
    return {
        "zed": make_user(Role.SOCIAL_WORKER, first_name="Zed", last_name="Adams", team=team),
        "mina": make_user(Role.TEAM_MANAGER, first_name="Mina", last_name="Zorn", team=team),
        "bo": make_user(Role.SOCIAL_WORKER, first_name="Bo", last_name="Young", team=other),
        "cal": make_user(Role.SOCIAL_WORKER, first_name="Cal", last_name="Baker"),
        "iro": make_user(Role.IRO, first_name="Ira", last_name="Aaron", team=team),
        "admin": make_user(Role.ADMINISTRATOR, first_name="Adi", last_name="Abbot", team=team),
        "analyst": make_user(Role.ANALYST, first_name="Ana", last_name="Able"),
        "front": make_user(Role.FRONT_DOOR, first_name="Fay", last_name="Ash", team=team),
        "gone": make_user(
            Role.SOCIAL_WORKER, first_name="Gus", last_name="Allen", team=team, is_active=False
        ),
    }


def test_caseholders_are_those_who_may_hold_cases_the_childs_team_first_by_surname(
    child: Person, worker: User, team: Team, staff: dict[str, User], django_assert_num_queries: Any
) -> None:
    ChildFactory.create(team=team, worker=staff["zed"])
    ChildFactory.create(team=team, worker=staff["zed"])
    ended = ChildFactory.create(team=team, worker=staff["zed"])
    Allocation.objects.filter(person=ended).update(end_date=D(2025, 3, 1))
    with django_assert_num_queries(1):
        holders = caseholders(team)
    rows = [(h.user.first_name, h.caseload, h.in_childs_team) for h in holders]
    # Wren (the root conftest's worker, surname "User") holds Ada's case.
    assert rows == [
        ("Zed", 2, True),
        ("Wren", 1, True),
        ("Mina", 0, True),
        ("Cal", 0, False),
        ("Bo", 0, False),
    ]
    assert [h.user.first_name for h in caseholders(None)] == ["Zed", "Cal", "Wren", "Bo", "Mina"]
    assert can_hold_cases(staff["mina"])
    assert not can_hold_cases(staff["iro"])
    assert not can_hold_cases(staff["gone"])


def test_the_lead_worker_field_groups_by_team_chooses_the_lead_and_takes_no_one_else(
    child: Person, worker: User, team: Team, staff: dict[str, User]
) -> None:
    lead = lead_workers(child)
    assert lead.current == worker  # the child's allocated worker, for a new plan
    assert lead.team == team
    field = lead_worker_field(lead, help_text="Needed")
    assert field.initial == worker.pk
    assert field.choices == [
        ("", "Select a social worker"),
        (
            "Children in Need East (Ada's team)",
            [
                (staff["zed"].pk, "Zed Adams (0 children now)"),
                (worker.pk, "Wren User (1 child now)"),
                (staff["mina"].pk, "Mina Zorn (0 children now)"),
            ],
        ),
        (
            "Other teams",
            [
                (staff["cal"].pk, "Cal Baker (0 children now)"),
                (staff["bo"].pk, "Bo Young (0 children now)"),
            ],
        ),
    ]
    assert field.clean(str(staff["bo"].pk)) == staff["bo"]
    for refused in ("iro", "admin", "gone"):
        with pytest.raises(ValidationError, match="Select a social worker who can hold cases"):
            field.clean(str(staff[refused].pk))
    # A plan's lead is chosen when they may still hold cases; a lead who may not is not.
    assert lead_worker_field(lead_workers(child, staff["bo"])).initial == staff["bo"].pk
    assert lead_worker_field(lead_workers(child, staff["iro"])).initial is None


def test_a_child_without_a_team_lists_everyone_who_may_hold_cases(
    make_user: Callable[..., User], worker: User
) -> None:
    child = ChildFactory.create()
    lead = lead_workers(child)
    assert (lead.team, lead.current) == (None, None)
    field = lead_worker_field(lead)
    assert field.choices == [
        ("", "Select a social worker"),
        ("Social workers", [(worker.pk, "Wren User (0 children now)")]),
    ]
    assert field.initial is None
