"""Referrals: re-referral derivation, one open episode, closure."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.frontdoor.models import Referral
from caseline.apps.frontdoor.queries import with_re_referral
from caseline.apps.people.models import Person

D = datetime.date


def _history(person: Person, user: User, dates: list[datetime.date]) -> list[Referral]:
    """Referrals on the given dates, each closed the same day (direct rows, like an import)."""
    return [
        Referral.objects.create(
            person=person,
            referral_date=day,
            source="2A",
            opened_by=user,
            closed_on=day,
            closure_reason="RC8",
        )
        for day in dates
    ]


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        (D(2024, 3, 10), D(2025, 3, 10), True),  # exactly 12 months
        (D(2024, 3, 9), D(2025, 3, 10), False),  # 12 months and 1 day
        (D(2024, 2, 29), D(2025, 2, 28), True),  # leap day, 12 months on the 28th
        (D(2024, 2, 29), D(2025, 3, 1), False),  # leap day, a year and a day later
        (D(2023, 2, 28), D(2024, 2, 29), True),  # 29 Feb less 12 months clamps to 28 Feb
        (D(2023, 2, 27), D(2024, 2, 29), False),
        (D(2025, 1, 1), D(2025, 1, 1), True),  # same day: the later one is a re-referral
    ],
)
def test_re_referral_edges(
    child: Person,
    front_door: User,
    earlier: datetime.date,
    later: datetime.date,
    expected: bool,
    django_assert_num_queries: Any,
) -> None:
    first, second = _history(child, front_door, [earlier, later])
    with django_assert_num_queries(1):  # the annotation, not a query per referral
        annotated = {r.pk: r.is_re_referral for r in with_re_referral(Referral.objects.all())}
    assert annotated == {first.pk: False, second.pk: expected}
    fresh = Referral.objects.get(pk=second.pk)
    assert fresh.is_re_referral is expected  # the property, without the annotation
    assert Referral.objects.get(pk=first.pk).is_re_referral is False


def test_re_referral_is_per_child(make_person: Callable[..., Person], front_door: User) -> None:
    one, two = make_person(given="One"), make_person(given="Two")
    _history(one, front_door, [D(2025, 1, 1)])
    (later,) = _history(two, front_door, [D(2025, 2, 1)])
    assert with_re_referral(Referral.objects.filter(pk=later.pk)).get().is_re_referral is False


def test_record_referral_audited_and_second_open_refused(child: Person, front_door: User) -> None:
    referral = actions.record_referral(
        acting_user=front_door,
        child=child,
        referral_date=D(2025, 4, 17),
        source="3A",
        primary_need="N1",
    )
    event = AuditEvent.objects.get(event_type=FrontdoorEvent.REFERRAL_RECORDED)
    assert event.subject_person_id == child.pk
    assert event.new_values["primary_need"] == "N1"
    with pytest.raises(ValidationError) as caught:
        actions.record_referral(
            acting_user=front_door, child=child, referral_date=D(2025, 5, 1), source="3A"
        )
    assert "already has an open referral" in str(caught.value.message_dict["referral_date"])
    assert Referral.objects.count() == 1
    actions.close_referral(
        acting_user=front_door,
        referral=referral,
        closed_on=D(2025, 5, 1),
        closure_reason="RC8",
        nfa=True,
    )
    again = actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2025, 6, 1), source="3A"
    )
    assert again.is_re_referral is True


def test_record_referral_validates_codes(child: Person, front_door: User) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.record_referral(
            acting_user=front_door,
            child=child,
            referral_date=D(2025, 4, 17),
            source="ZZ",
            primary_need="N42",
        )
    assert set(caught.value.message_dict) == {"source", "primary_need"}
    # 5D is new in 2022-23: refused for a referral in 2021-22.
    with pytest.raises(ValidationError) as caught:
        actions.record_referral(
            acting_user=front_door, child=child, referral_date=D(2021, 6, 1), source="5D"
        )
    assert "source" in caught.value.message_dict
    with pytest.raises(ValidationError):
        actions.record_referral(
            acting_user=front_door, child=child, referral_date=D(2099, 1, 1), source="2A"
        )
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(event_type=FrontdoorEvent.REFERRAL_RECORDED).exists()


def test_close_referral_validations(child: Person, front_door: User) -> None:
    referral = actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2025, 4, 17), source="2A"
    )
    with pytest.raises(ValidationError) as caught:
        actions.close_referral(
            acting_user=front_door, referral=referral, closed_on=D(2025, 4, 16), closure_reason=""
        )
    assert set(caught.value.message_dict) == {"closed_on", "closure_reason"}
    assert "on or after the referral date (17 April 2025)" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        actions.close_referral(
            acting_user=front_door,
            referral=referral,
            closed_on=D(2025, 4, 17),
            closure_reason="RC99",
        )
    assert "closure_reason" in caught.value.message_dict
    referral.refresh_from_db()
    assert referral.closed_on is None
    closed = actions.close_referral(
        acting_user=front_door,
        referral=referral,
        closed_on=D(2025, 4, 17),
        closure_reason="RC7",
        closure_note="Needs met",
    )
    assert closed.closed_on == D(2025, 4, 17)
    assert closed.closure_reason == "RC7"
    event = AuditEvent.objects.get(event_type=FrontdoorEvent.REFERRAL_CLOSED)
    assert event.old_values["closed_on"] is None
    assert event.new_values["closure_reason"] == "RC7"
    with pytest.raises(ValidationError, match="already closed on 17 April 2025"):
        actions.close_referral(
            acting_user=front_door, referral=referral, closed_on=D(2025, 5, 1), closure_reason="RC7"
        )
