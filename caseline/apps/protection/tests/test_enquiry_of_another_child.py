"""A page about an enquiry answers 404 when the enquiry is another child's (issue 19)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.people.models import Person
from caseline.apps.protection.models import Section47Enquiry


@pytest.mark.parametrize("name", ["police-decision-new", "enquiry-outcome", "icpc-not-required"])
def test_an_enquiry_of_another_child_is_not_found(
    client: Client,
    worker: User,
    enquiry: Section47Enquiry,
    make_child: Callable[..., Person],
    name: str,
) -> None:
    other = make_child("Bea")
    client.force_login(worker)
    own = reverse(
        f"protection:{name}", kwargs={"person_id": enquiry.person_id, "enquiry_id": enquiry.pk}
    )
    theirs = reverse(f"protection:{name}", kwargs={"person_id": other.pk, "enquiry_id": enquiry.pk})
    assert client.get(own).status_code == 200
    assert client.get(theirs).status_code == 404
    assert client.post(theirs, {}).status_code == 404
