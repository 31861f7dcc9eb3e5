"""The piece every plan shares beyond its outcomes: the child's identity (what is known of it,
and the check that a plan says how it meets it). Who may lead a plan is who can hold cases,
tested with ``accounts.queries.case_holders``."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.plans.identity import IDENTITY_ASPECTS, IDENTITY_HINT, check_identity
from caseline.apps.plans.queries import identity_found
from caseline.apps.plans.tests.assessed import assessed

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
