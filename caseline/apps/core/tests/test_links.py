from __future__ import annotations

import pytest
from django.urls import reverse

from caseline.apps.core.links import url_builder


def test_builds_what_reverse_builds() -> None:
    plan = url_builder("protection:plan", "person_id", "plan_id")
    for person_id, plan_id in [(1, 2), (12345, 7), (987650001, 987650000)]:
        assert plan(person_id=person_id, plan_id=plan_id) == reverse(
            "protection:plan", kwargs={"person_id": person_id, "plan_id": plan_id}
        )


def test_one_parameter() -> None:
    contact = url_builder("frontdoor:contact-detail", "pk")
    assert contact(pk=42) == reverse("frontdoor:contact-detail", kwargs={"pk": 42})


def test_refuses_a_missing_parameter() -> None:
    contact = url_builder("frontdoor:contact-detail", "pk")
    with pytest.raises(KeyError):
        contact(id=42)


def test_refuses_an_id_that_is_not_a_number() -> None:
    contact = url_builder("frontdoor:contact-detail", "pk")
    with pytest.raises(ValueError, match="invalid literal"):
        contact(pk="../admin")


def test_parameters_named_in_any_order() -> None:
    plan = url_builder("protection:plan", "plan_id", "person_id")
    assert plan(plan_id=9, person_id=3) == reverse(
        "protection:plan", kwargs={"person_id": 3, "plan_id": 9}
    )
