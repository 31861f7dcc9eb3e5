"""A day of work with a child, recorded in several apps and not in the order it happened,
reads in the chronology in the order it happened: by time where an event has one, and
otherwise by where it comes in the work."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from caseline.apps.assessments import actions as assessment_actions
from caseline.apps.chronology.queries import chronology_for, in_order
from caseline.apps.chronology.tests.builders import Cast, _agencies, at, make_child
from caseline.apps.frontdoor import actions as frontdoor_actions
from caseline.apps.frontdoor.models import Contact, ContactPerson
from caseline.apps.people import actions as people_actions
from caseline.apps.people.contribution import Category, ChronologyEntry, Step
from caseline.apps.protection import actions as protection_actions
from caseline.apps.protection.models import Participation, StrategyDiscussion
from caseline.apps.recording.actions import record_note

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 4)


def test_a_day_of_events_from_several_apps_is_in_the_order_it_happened(
    cast: Cast, client: Client
) -> None:
    child = make_child()
    # Written up in the afternoon, in whatever order the worker got to them.
    protection_actions.record_strategy_discussion(
        acting_user=cast.worker,
        child=child,
        kind=StrategyDiscussion.Kind.MEETING,
        held_at=at(DAY, 14),
        participants=_agencies(police=Participation.ATTENDED),
        information_shared="Mia has a bruise on her face.",
        decision="Joint section 47 enquiry.",
        rationale="An injury to a child's face.",
        s47_decision=StrategyDiscussion.S47Decision.JOINT,
    )
    people_actions.add_alert(
        acting_user=cast.worker, person=child, text="Dad must not collect Mia", start_date=DAY
    )
    record_note(
        acting_user=cast.worker,
        child=child,
        note_type="phone-call",
        occurred_at=at(DAY, 8).replace(minute=15),
        title="Police phoned about last night's call-out",
        body="Officers were called to the home at 11pm.",
    )
    contact = frontdoor_actions.record_contact(
        acting_user=cast.front_door,
        received_at=at(DAY, 9).replace(minute=30),
        source="6",
        concern="Police attended a fight at the home; Mia was there.",
        consent=Contact.Consent.NOT_NEEDED,
        people=[(child, ContactPerson.Role.SUBJECT)],
    )
    frontdoor_actions.decide_contact(
        acting_user=cast.front_door,
        contact=contact,
        decision=Contact.Decision.REFERRAL,
        rationale="Violence at home with Mia present.",
        decided_at=at(DAY, 10),
        primary_need="N1",
    )
    assessment_actions.start_assessment(acting_user=cast.worker, child=child, start_date=DAY)
    frontdoor_actions.allocate_case(
        acting_user=cast.manager,
        child=child,
        team=cast.team,
        worker=cast.worker,
        start_date=DAY,
        change_reason="FCONTA",
    )

    day = [entry for entry in chronology_for(child) if entry.date == DAY]
    assert [(e.time, e.what_happened.split(":")[0].split(".")[0]) for e in day] == [
        (datetime.time(8, 15), "Police phoned about last night's call-out"),
        (datetime.time(9, 30), "Contact from the police"),
        (None, "Referral to children's social care from the police"),
        (None, "Allocated to Sam Worth, Assessment Team Chrono"),
        (datetime.time(14, 0), "Strategy meeting held"),
        (
            None,
            "Section 47 enquiry started jointly with the police into whether Mia is "
            "suffering, or likely to suffer, significant harm",
        ),
        (None, "Single assessment started"),
        (None, "Alert added to Mia's record"),
    ]

    # The page shows the times, so a reader sees why the day reads as it does.
    client.force_login(cast.worker)
    page = client.get(f"/chronology/record/{child.pk}/").content.decode()
    assert page.index("08:15") < page.index("09:30") < page.index("14:00")
    assert page.index("Police phoned about") < page.index("Contact from the police")


def _entry(text: str, step: Step, time: datetime.time | None = None) -> ChronologyEntry:
    return ChronologyEntry(DAY, Category.NOTE, text, "Test", time=time, step=step)


def test_entries_without_a_time_come_after_the_timed_ones_of_their_step_or_earlier() -> None:
    entries = [
        _entry("conference", Step.CONFERENCE),
        _entry("note at noon", Step.EVENT, datetime.time(12)),
        _entry("born", Step.BORN),
        _entry("enquiry", Step.ENQUIRY),
        _entry("strategy at nine", Step.STRATEGY, datetime.time(9)),
        _entry("contact at eight", Step.CONTACT, datetime.time(8)),
        _entry("plan ended", Step.ENDING),
        ChronologyEntry(DAY - datetime.timedelta(days=1), Category.NOTE, "the day before", "T"),
    ]
    assert [e.what_happened for e in in_order(entries)] == [
        "the day before",
        "born",
        "contact at eight",
        "strategy at nine",
        "enquiry",
        "note at noon",
        "conference",
        "plan ended",
    ]
