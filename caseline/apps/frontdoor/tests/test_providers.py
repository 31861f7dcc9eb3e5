"""What the front door adds to the child's summary, identity bar and due work."""

from __future__ import annotations

import datetime

from caseline.apps.accounts.models import Team, User
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.frontdoor.providers import (
    CONTRIBUTION,
    contact_decisions_work,
    open_episode_badge,
    why_involved,
)
from caseline.apps.frontdoor.tests.conftest import at
from caseline.apps.people.contribution import Badge, contributions
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import TimelinessStatus

D = datetime.date


def test_nothing_for_a_child_with_no_episode(child: Person) -> None:
    assert why_involved(child, D(2025, 5, 1)) == []
    assert open_episode_badge(child, D(2025, 5, 1)) == []
    assert contact_decisions_work([child.pk], D(2025, 5, 1)) == []


def test_why_involved_and_badge(child: Person, front_door: User, manager: User, team: Team) -> None:
    old = actions.record_referral(
        acting_user=front_door, child=child, referral_date=D(2024, 9, 2), source="2A"
    )
    actions.close_referral(
        acting_user=front_door, referral=old, closed_on=D(2024, 10, 1), closure_reason="RC8"
    )
    actions.record_referral(
        acting_user=front_door,
        child=child,
        referral_date=D(2025, 4, 22),
        source="3A",
        primary_need="N1",
    )
    (block,) = why_involved(child, D(2025, 5, 1))
    assert block.title == "Why we are involved"
    assert block.rows == [
        ("Referral date", "22 April 2025"),
        ("Source", "Health services \N{EN DASH} general practitioner (GP)"),
        ("Primary need", "Abuse or neglect"),
        ("Re-referral within 12 months", "Yes"),
        ("Allocated to", "Not allocated"),
    ]
    assert block.link_href == f"/front-door/record/{child.pk}/"
    actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 22)
    )
    (block,) = why_involved(child, D(2025, 5, 1))
    assert block.rows[-1] == ("Allocated to", "No worker yet, Assessment Team Test")
    assert open_episode_badge(child, D(2025, 5, 1)) == [Badge("Open episode", "blue")]
    assert open_episode_badge(child, D(2025, 4, 1)) == []  # as at before it opened


def test_the_contribution_is_registered_in_ready() -> None:
    # Checked by registration, so another app's contribution cannot break this test.
    assert contributions(["frontdoor"]) == [CONTRIBUTION]
    assert CONTRIBUTION.summary_blocks is why_involved
    assert CONTRIBUTION.badges is open_episode_badge
    assert CONTRIBUTION.due_for is contact_decisions_work


def test_undecided_contact_is_due(child: Person, front_door: User) -> None:
    contact = actions.record_contact(
        acting_user=front_door,
        received_at=at(2025, 4, 17),
        source="2A",
        concern="Worry",
        consent=Contact.Consent.GIVEN,
        people=[(child, ContactPerson.Role.SUBJECT)],
    )
    (item,) = contact_decisions_work([child.pk], D(2025, 4, 24))
    assert item.rule_code == "contact-decision"
    assert item.timeliness.due_date == D(2025, 4, 22)
    assert item.timeliness.status == TimelinessStatus.OVERDUE
    assert item.href == f"/front-door/contacts/{contact.pk}/decide/"
    actions.decide_contact(
        acting_user=front_door,
        contact=contact,
        decision=Contact.Decision.NO_FURTHER_ACTION,
        rationale="Resolved",
        decided_at=at(2025, 4, 18),
    )
    assert contact_decisions_work([child.pk], D(2025, 4, 24)) == []
