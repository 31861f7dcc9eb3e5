from __future__ import annotations

from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.accounts.queries import display_names


@pytest.mark.django_db
def test_names_as_str_gives_them_in_one_query(django_assert_num_queries: Any) -> None:
    named = User.objects.create(username="a.named", first_name="Ada", last_name="Okafor")
    bare = User.objects.create(username="no.name")
    with django_assert_num_queries(1):
        names = display_names([named.pk, bare.pk, None, named.pk])
    assert names == {named.pk: str(named), bare.pk: str(bare)}
    assert names[named.pk] == "Ada Okafor"
    assert names[bare.pk] == "no.name"


@pytest.mark.django_db
def test_no_ids_no_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert display_names([None]) == {}
