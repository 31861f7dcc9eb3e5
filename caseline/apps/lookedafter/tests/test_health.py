"""Health records as the 903 OC2 return needs them: development checks, SDQs or why there is
none, convictions, and substance misuse with its intervention, each refused where one record
breaks a DfE rule."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import Episode, HealthRecord
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person

D = datetime.date
DAY = D(2025, 2, 3)


def in_care_aged(
    make_child: Callable[..., Person], worker: User, born: datetime.date, given: str = "Bea"
) -> Person:
    child = make_child(given, born)
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C2", placement=foster()
    )
    return child


def record(worker: User, child: Person, **values: Any) -> HealthRecord:
    return actions.record_health(acting_user=worker, child=child, event_date=DAY, **values)


def refused(worker: User, child: Person, **values: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        record(worker, child, **values)
    return excinfo.value.message_dict


def test_a_development_check_is_for_a_child_under_five(
    make_child: Callable[..., Person], worker: User
) -> None:
    toddler = in_care_aged(make_child, worker, D(2021, 2, 4))  # 3 on DAY
    check = record(worker, toddler, kind="development")
    assert check.kind == HealthRecord.Kind.DEVELOPMENT
    five = in_care_aged(make_child, worker, D(2020, 2, 3), given="Cal")  # 5 that very day
    assert refused(worker, five, kind="development") == {
        "event_date": [
            "A development check is for a child under 5, and Cal was 5 on that date "
            "(SSDA903 rule 546)"
        ]
    }


def test_a_conviction_needs_what_it_was_for_and_a_child_of_ten(
    make_child: Callable[..., Person], worker: User
) -> None:
    nine = in_care_aged(make_child, worker, D(2015, 2, 4))  # 9 on DAY, 10 the next day
    assert refused(worker, nine, kind="conviction") == {
        "notes": ["Enter what the conviction was for"],
        "event_date": [
            "Bea was 9 on that date: no child under 10 can be convicted (SSDA903 rule 542)"
        ],
    }
    ten = in_care_aged(make_child, worker, D(2015, 2, 3), given="Cal")
    conviction = record(worker, ten, kind="conviction", notes="Criminal damage")
    assert conviction.notes == "Criminal damage"


def test_an_sdq_has_a_score_or_a_reason_not_both(
    in_care: Episode, child: Person, worker: User
) -> None:
    assert refused(worker, child, kind="sdq", sdq_score=12, sdq_reason="SDQ2") == {
        "sdq_reason": ["Give the SDQ score or why there is none, not both (SSDA903 rule 197a)"]
    }
    assert refused(worker, child, kind="sdq", sdq_reason="SDQ9") == {
        "sdq_reason": ["Select a valid reason for no SDQ score for 3 February 2025"]
    }
    assert refused(worker, child, kind="dental", sdq_reason="SDQ2") == {
        "sdq_reason": ["Only a strengths and difficulties questionnaire has a reason for no score"]
    }
    # Ada is 12: the questionnaire is for her age, so "outside its ages" is not why.
    assert refused(worker, child, kind="sdq", sdq_reason="SDQ1") == {
        "sdq_reason": [
            "SDQ1 is for a child under 4 or over 16, and Ada was 12: choose another reason "
            "(SSDA903 rule 157)"
        ]
    }
    refusal = record(worker, child, kind="sdq", sdq_reason="SDQ5")
    assert (refusal.sdq_score, refusal.sdq_reason) == (None, "SDQ5")
    assert refusal.sdq_reason_label.startswith("SDQ5 - Child or young person refuses")


@pytest.mark.parametrize("born", [D(2021, 2, 4), D(2008, 2, 3)], ids=["three", "seventeen"])
def test_sdq1_is_for_a_child_outside_the_questionnaires_ages(
    make_child: Callable[..., Person], worker: User, born: datetime.date
) -> None:
    child = in_care_aged(make_child, worker, born)
    assert record(worker, child, kind="sdq", sdq_reason="SDQ1").sdq_reason == "SDQ1"


def test_substance_misuse_needs_whether_an_intervention_was_received(
    in_care: Episode, child: Person, worker: User
) -> None:
    misuse = {"kind": "substance-misuse"}
    assert refused(worker, child, **misuse) == {
        "intervention_received": [
            "Select whether Ada received an intervention for substance misuse (SSDA903 rule 192)"
        ]
    }
    assert refused(
        worker, child, **misuse, intervention_received=True, intervention_offered=False
    ) == {
        "intervention_offered": [
            "Leave whether an intervention was offered blank: Ada received one (SSDA903 rule 158)"
        ]
    }
    assert refused(worker, child, **misuse, intervention_received=False) == {
        "intervention_offered": [
            "Select whether Ada was offered an intervention they did not take up (SSDA903 rule 159)"
        ]
    }
    assert refused(worker, child, **misuse, substance_misuse=False, intervention_received=True) == {
        "substance_misuse": ["A record of substance misuse says it was identified: select yes"]
    }
    found = record(worker, child, **misuse, intervention_received=False, intervention_offered=True)
    assert (found.substance_misuse, found.intervention_received, found.intervention_offered) == (
        True,
        False,
        True,
    )
    event = AuditEvent.objects.filter(event_type=LookedAfterEvent.HEALTH_RECORDED).latest("id")
    assert event.new_values["intervention_offered"] is True


def test_an_intervention_only_where_substance_misuse_was_identified(
    in_care: Episode, child: Person, worker: User
) -> None:
    assessment = {"kind": "rha", "health_plan": "Annual review"}
    assert refused(
        worker, child, **assessment, substance_misuse=False, intervention_received=False
    ) == {
        "intervention_received": [
            "An intervention is recorded only where substance misuse was identified "
            "(SSDA903 rule 193)"
        ]
    }
    # Found at an assessment: the same questions about the intervention.
    assert "intervention_received" in refused(worker, child, **assessment, substance_misuse=True)
    review = record(worker, child, **assessment, substance_misuse=True, intervention_received=True)
    assert review.intervention_received


def test_the_health_page_records_substance_misuse_and_an_sdq_reason(
    client: Client, in_care: Episode, child: Person, worker: User
) -> None:
    client.force_login(worker)
    page = reverse("lookedafter:health-new", kwargs={"person_id": child.pk})
    form = client.get(page).content.decode()
    assert "Development check (under 5)" in form
    assert 'name="sdq_reason"' in form
    day = {"event_date_day": "3", "event_date_month": "2", "event_date_year": "2025"}
    response = client.post(
        page,
        {
            "kind": "substance-misuse",
            **day,
            "intervention_received": "no",
            "intervention_offered": "yes",
        },
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(page, {"kind": "sdq", **day, "sdq_reason": "SDQ2"})
    assert response.status_code == 302
    response = client.post(page, {"kind": "sdq", **day, "sdq_score": "12", "sdq_reason": "SDQ2"})
    assert response.status_code == 400
    assert "(SSDA903 rule 197a)" in response.content.decode()
    body = client.get(reverse("lookedafter:record", kwargs={"person_id": child.pk})).content
    text = body.decode()
    assert "Substance misuse identified; intervention offered, not taken up" in text
    assert "No SDQ score: SDQ2 - Carer(s) refused to complete and return the questionnaire" in text
