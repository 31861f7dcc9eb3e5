"""The children in need census: which children and casework a year holds, the XML it is
written as (checked against the schema), the command, and the export's audit."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from caseline.apps.accounts.models import User
from caseline.apps.assessments.models import Assessment
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.cin.models import CINPlan, PreProceedings, PreProceedingsMeeting
from caseline.apps.cin.queries import pre_proceedings_census
from caseline.apps.codes import CodeListName, code_list
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person
from caseline.apps.protection.models import (
    Conference,
    ProtectionHistory,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.protection.queries import previous_plan_count
from caseline.apps.returns.actions import produce_return
from caseline.apps.returns.cin_census import CIN_CENSUS, census, reading
from caseline.apps.returns.cin_census.census import SCHEMAS
from caseline.apps.returns.identifiers import child_id
from caseline.apps.returns.registry import RETURNS
from caseline.apps.returns.years import CollectionYear
from caseline.apps.synthetic.generator import Builder, Parameters
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2026)  # 1 April 2025 to 31 March 2026
NEXT_YEAR = CollectionYear(2027)  # 1 April 2026 to 31 March 2027: the first with pre-proceedings
SCHEMA_OF = {year: etree.XMLSchema(etree.parse(str(path))) for year, path in SCHEMAS.items()}
SCHEMA = SCHEMA_OF[2026]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def worker() -> User:
    return UserFactory.create(username="worker")


def referral(person: Person, worker: User, referred: str, **fields: Any) -> Referral:
    closed = fields.pop("closed_on", None)
    return Referral.objects.create(
        person=person,
        referral_date=day(referred),
        source=fields.pop("source", "1A"),
        primary_need=fields.pop("primary_need", "N1"),
        closed_on=day(closed) if closed else None,
        opened_by=worker,
        **fields,
    )


def assessment(episode: Referral, worker: User, start: str, authorised: str | None) -> Assessment:
    return Assessment.objects.create(
        person=episode.person,
        referral=episode,
        start_date=day(start),
        authorised_on=day(authorised) if authorised else None,
        status=Assessment.Status.AUTHORISED if authorised else Assessment.Status.DRAFT,
        factors=["3A", "16A"],
        recorded_by=worker,
    )


def enquiry(
    episode: Referral,
    worker: User,
    start: str,
    *,
    outcome: str = "",
    completed: str | None = None,
    linked: bool = True,
    not_required_on: str | None = None,
) -> Section47Enquiry:
    """An enquiry as the protection actions leave it: completed with an outcome other than a
    conference, it records then that no conference is required (``complete_enquiry``);
    ``not_required_on`` records that decision on another day (``decide_icpc_not_required``)."""
    if not_required_on is None and completed and outcome and outcome != "conference":
        not_required_on = completed
    discussion = StrategyDiscussion.objects.create(
        person=episode.person,
        referral=episode,
        kind=StrategyDiscussion.Kind.MEETING,
        held_at=timezone.make_aware(datetime.datetime.combine(day(start), datetime.time(10))),
        information_shared="Shared",
        decision="Enquire",
        rationale="Concerns",
        s47_decision=StrategyDiscussion.S47Decision.SINGLE,
        recorded_by=worker,
    )
    return Section47Enquiry.objects.create(
        person=episode.person,
        referral=episode if linked else None,
        strategy_discussion=discussion,
        start_date=day(start),
        outcome=outcome,
        completed_on=day(completed) if completed else None,
        icpc_not_required=not_required_on is not None,
        icpc_not_required_on=day(not_required_on) if not_required_on else None,
        recorded_by=worker,
    )


def conference(episode: Referral, worker: User, held: str, kind: str, **fields: Any) -> Conference:
    return Conference.objects.create(
        person=episode.person,
        referral=episode,
        kind=kind,
        conference_date=day(held),
        chair=worker,
        reports_shared=Conference.ReportsShared.YES,
        child_participation="Spoke to the chair",
        family_participation="Attended",
        rationale="Risk",
        recorded_by=worker,
        **fields,
    )


def protection_plan(
    icpc: Conference, worker: User, *, category: str, end: str | None = None
) -> ProtectionPlan:
    return ProtectionPlan.objects.create(
        person=icpc.person,
        referral=icpc.referral,
        conference=icpc,
        initial_category=category,
        latest_category=category,
        lead_social_worker=worker,
        start_date=icpc.conference_date,
        end_date=day(end) if end else None,
        recorded_by=worker,
    )


def pre_proceedings(
    episode: Referral, worker: User, start: str, **dates: str | bool | None
) -> PreProceedings:
    """A period of pre-proceedings: ``dates`` names the model's fields, dates as ISO text."""
    return PreProceedings.objects.create(
        person=episode.person,
        referral=episode,
        start_date=day(start),
        start_reason="Legal planning meeting decided to start",
        recorded_by=worker,
        **{
            field: day(value) if isinstance(value, str) and field.endswith("_on") else value
            for field, value in dates.items()
        },
    )


def meeting(proceedings: PreProceedings, worker: User, kind: str, held: str) -> None:
    PreProceedingsMeeting.objects.create(
        proceedings=proceedings, kind=kind, held_on=day(held), recorded_by=worker
    )


def produce(tmp_path: Path, year: CollectionYear = YEAR) -> etree._ElementTree:
    out = tmp_path / f"census-{year.year}.xml"
    produce_return(CIN_CENSUS, year, out, acting_user=None)
    document = etree.parse(str(out))
    SCHEMA_OF[year.year].assertValid(document)
    return document


def child_block(document: etree._ElementTree, person: Person) -> etree._Element:
    reference = child_id(person.pk)
    found = [
        block
        for block in document.getroot().iterfind("Children/Child")
        if block.findtext("ChildIdentifiers/LAchildID") == reference
    ]
    assert len(found) == 1, f"{reference} is in the census {len(found)} times, not once"
    return found[0]


def texts(block: etree._Element, path: str) -> list[str]:
    return [str(element.text) for element in block.iterfind(path)]


def test_the_census_is_valid_and_holds_each_episodes_casework(tmp_path: Path, worker: User) -> None:
    child = PersonFactory.create(
        date_of_birth=day("2016-05-04"),
        sex="F",
        ethnicity="WIRI",
        disabilities=["HAND", "HEAR"],
        upn="X999267425494",
    )
    episode = referral(child, worker, "2025-05-06", source="5A", primary_need="N4")
    assessment(episode, worker, "2025-05-07", "2025-06-20")
    CINPlan.objects.create(
        person=child,
        referral=episode,
        start_date=day("2025-06-23"),
        end_date=day("2025-07-14"),
        child_views="Wants help",
        recorded_by=worker,
    )
    s47 = enquiry(episode, worker, "2025-07-14", outcome="conference", completed="2025-07-25")
    icpc = conference(
        episode, worker, "2025-08-01", Conference.Kind.INITIAL, enquiry=s47, category="NEG"
    )
    plan = protection_plan(icpc, worker, category="NEG")
    conference(
        episode,
        worker,
        "2025-10-30",
        Conference.Kind.REVIEW,
        plan=plan,
        category="EMO",
        decision=Conference.Decision.CONTINUE,
    )
    # A review after the reference date changes nothing in this census.
    conference(
        episode,
        worker,
        "2026-04-20",
        Conference.Kind.REVIEW,
        plan=plan,
        category="PHY",
        decision=Conference.Decision.CONTINUE,
    )

    block = child_block(produce(tmp_path), child)

    assert texts(block, "ChildIdentifiers/UPN") == ["X999267425494"]
    assert texts(block, "ChildIdentifiers/PersonBirthDate") == ["2016-05-04"]
    assert texts(block, "ChildIdentifiers/Sex") == ["F"]
    assert texts(block, "ChildCharacteristics/Ethnicity") == ["WIRI"]
    assert texts(block, "ChildCharacteristics/Disabilities/Disability") == ["HAND", "HEAR"]
    (details,) = block.findall("CINdetails")
    assert texts(details, "CINreferralDate") == ["2025-05-06"]
    assert texts(details, "ReferralSource") == ["5A"]
    assert texts(details, "PrimaryNeedCode") == ["N4"]
    assert texts(details, "ReferralNFA") == ["0"]
    assert details.find("CINclosureDate") is None
    assert details.find("DateOfInitialCPC") is None  # held at the section 47 (rule 2884)
    assert texts(details, "Assessments/AssessmentActualStartDate") == ["2025-05-07"]
    assert texts(details, "Assessments/AssessmentAuthorisationDate") == ["2025-06-20"]
    assert texts(details, "Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors") == [
        "3A",
        "16A",
    ]
    assert texts(details, "CINPlanDates/CINPlanStartDate") == ["2025-06-23"]
    assert texts(details, "CINPlanDates/CINPlanEndDate") == ["2025-07-14"]
    assert texts(details, "Section47/S47ActualStartDate") == ["2025-07-14"]
    # 15 working days from Monday 14 July 2025.
    assert texts(details, "Section47/InitialCPCtarget") == ["2025-08-04"]
    assert texts(details, "Section47/DateOfInitialCPC") == ["2025-08-01"]
    assert texts(details, "Section47/ICPCnotRequired") == ["0"]
    assert texts(details, "ChildProtectionPlans/CPPstartDate") == ["2025-08-01"]
    assert details.find("ChildProtectionPlans/CPPendDate") is None
    assert texts(details, "ChildProtectionPlans/InitialCategoryOfAbuse") == ["NEG"]
    assert texts(details, "ChildProtectionPlans/LatestCategoryOfAbuse") == ["EMO"]
    assert texts(details, "ChildProtectionPlans/NumberOfPreviousCPP") == ["0"]
    assert texts(details, "ChildProtectionPlans/Reviews/CPPreviewDate") == ["2025-10-30"]


def test_the_header_names_the_year_and_the_authority(tmp_path: Path, worker: User) -> None:
    referral(PersonFactory.create(), worker, "2025-06-02")

    document = produce(tmp_path)

    header = document.getroot().find("Header")
    assert header is not None
    assert texts(header, "CollectionDetails/Collection") == ["CIN"]
    assert texts(header, "CollectionDetails/Year") == ["2026"]
    assert texts(header, "CollectionDetails/ReferenceDate") == ["2026-03-31"]
    assert texts(header, "Source/LEA") == ["344"]
    assert texts(header, "Source/SoftwareCode") == ["Caseline"]


def test_only_children_with_an_episode_open_in_the_year_are_in_it(
    tmp_path: Path, worker: User
) -> None:
    referred_in_year = PersonFactory.create(given_name="In")
    referral(referred_in_year, worker, "2025-04-01", closed_on="2025-04-01", nfa=True)
    open_on_1_april = PersonFactory.create(given_name="Open")
    referral(open_on_1_april, worker, "2023-02-10")
    closed_before = PersonFactory.create(given_name="Closed")
    referral(closed_before, worker, "2024-06-03", closed_on="2025-03-31", closure_reason="RC7")
    referred_after = PersonFactory.create(given_name="After")
    referral(referred_after, worker, "2026-04-01")
    merged = PersonFactory.create(given_name="Merged", merged_into=open_on_1_april)
    referral(merged, worker, "2025-05-01")

    document = produce(tmp_path)

    ids = texts(document.getroot(), "Children/Child/ChildIdentifiers/LAchildID")
    assert ids == [child_id(referred_in_year.pk), child_id(open_on_1_april.pk)]
    in_year = child_block(document, referred_in_year)
    assert texts(in_year, "CINdetails/ReferralNFA") == ["1"]
    assert texts(in_year, "CINdetails/CINclosureDate") == ["2025-04-01"]
    assert texts(child_block(document, open_on_1_april), "CINdetails/CINreferralDate") == [
        "2023-02-10"
    ]


def test_what_happened_after_the_reference_date_is_not_shown(tmp_path: Path, worker: User) -> None:
    child = PersonFactory.create()
    episode = referral(child, worker, "2026-02-02", closed_on="2026-05-05", closure_reason="RC7")
    assessment(episode, worker, "2026-02-03", "2026-04-14")
    assessment(episode, worker, "2024-12-02", "2025-01-10")  # authorised before the year
    s47 = enquiry(episode, worker, "2026-03-20", outcome="conference", completed="2026-03-30")
    conference(episode, worker, "2026-04-09", Conference.Kind.INITIAL, enquiry=s47)

    details = child_block(produce(tmp_path), child).find("CINdetails")

    assert details is not None
    assert details.find("CINclosureDate") is None
    assert details.find("ReasonForClosure") is None
    assert texts(details, "Assessments/AssessmentActualStartDate") == ["2026-02-03"]
    assert details.find("Assessments/AssessmentAuthorisationDate") is None
    assert details.find("Assessments/FactorsIdentifiedAtAssessment") is None
    assert details.find("Section47/DateOfInitialCPC") is None
    assert texts(details, "Section47/ICPCnotRequired") == ["0"]


def test_an_enquiry_or_plan_that_ended_before_the_year_is_left_out(
    tmp_path: Path, worker: User
) -> None:
    child = PersonFactory.create()
    episode = referral(child, worker, "2024-09-02")
    earlier = enquiry(episode, worker, "2024-09-03", outcome="conference", completed="2024-09-20")
    first = conference(episode, worker, "2024-09-24", Conference.Kind.INITIAL, enquiry=earlier)
    protection_plan(first, worker, category="PHY", end="2025-02-11")
    no_conference = enquiry(episode, worker, "2025-03-03", outcome="cin", completed="2025-04-02")
    later = enquiry(episode, worker, "2025-06-02", outcome="conference", completed="2025-06-13")
    second = conference(episode, worker, "2025-06-20", Conference.Kind.INITIAL, enquiry=later)
    protection_plan(second, worker, category="NEG")

    details = child_block(produce(tmp_path), child).find("CINdetails")

    assert details is not None
    assert texts(details, "Section47/S47ActualStartDate") == [
        no_conference.start_date.isoformat(),
        "2025-06-02",
    ]
    assert texts(details, "Section47/ICPCnotRequired") == ["1", "0"]
    assert texts(details, "ChildProtectionPlans/CPPstartDate") == ["2025-06-20"]
    assert texts(details, "ChildProtectionPlans/NumberOfPreviousCPP") == ["1"]


def test_a_transfer_in_conference_is_the_episodes_own_initial_conference(
    tmp_path: Path, worker: User
) -> None:
    child = PersonFactory.create()
    episode = referral(child, worker, "2025-09-01")
    transfer = conference(
        episode, worker, "2025-09-19", Conference.Kind.TRANSFER_IN, category="SAB"
    )
    protection_plan(transfer, worker, category="SAB")

    details = child_block(produce(tmp_path), child).find("CINdetails")

    assert details is not None
    assert texts(details, "DateOfInitialCPC") == ["2025-09-19"]
    assert texts(details, "ChildProtectionPlans/CPPstartDate") == ["2025-09-19"]


def test_an_enquiry_recorded_without_its_episode_is_in_the_one_open_on_its_date(
    tmp_path: Path, worker: User
) -> None:
    child = PersonFactory.create()
    referral(child, worker, "2025-04-07", closed_on="2025-06-30", closure_reason="RC7")
    second = referral(child, worker, "2025-09-01")
    enquiry(second, worker, "2025-09-08", outcome="nfa", completed="2025-09-19", linked=False)

    first_details, second_details = child_block(produce(tmp_path), child).findall("CINdetails")

    assert first_details.find("Section47") is None
    assert texts(second_details, "Section47/S47ActualStartDate") == ["2025-09-08"]


def test_the_former_upn_and_why_a_upn_is_unknown_are_given(tmp_path: Path, worker: User) -> None:
    no_upn = PersonFactory.create(upn="", upn_unknown_reason="UN1", former_upn="A99926742549B")
    with_upn = PersonFactory.create(upn="X999267425494", upn_unknown_reason="UN4")
    for child in (no_upn, with_upn):
        referral(child, worker, "2025-07-01")

    document = produce(tmp_path)

    first = child_block(document, no_upn)
    assert first.find("ChildIdentifiers/UPN") is None
    assert texts(first, "ChildIdentifiers/FormerUPN") == ["A99926742549B"]
    assert texts(first, "ChildIdentifiers/UPNunknown") == ["UN1"]
    second = child_block(document, with_upn)
    assert texts(second, "ChildIdentifiers/UPN") == ["X999267425494"]
    assert second.find("ChildIdentifiers/FormerUPN") is None
    assert second.find("ChildIdentifiers/UPNunknown") is None  # a UPN, not a reason (8770Q)


def test_icpc_not_required_is_the_recorded_decision_as_it_stood_on_31_march(
    tmp_path: Path, worker: User
) -> None:
    child = PersonFactory.create()
    episode = referral(child, worker, "2025-09-01")
    # A conference was called for, then decided against in the year.
    enquiry(
        episode,
        worker,
        "2025-09-08",
        outcome="conference",
        completed="2025-09-26",
        not_required_on="2025-10-06",
    )
    # A conference is called for and neither held nor decided against: still open.
    enquiry(episode, worker, "2026-01-05", outcome="conference", completed="2026-01-16")
    # Completed after 31 March 2026 with no conference needed: open on 31 March 2026.
    enquiry(episode, worker, "2026-03-09", outcome="nfa", completed="2026-04-10")

    this_year = child_block(produce(tmp_path), child).find("CINdetails")
    next_year = child_block(produce(tmp_path, NEXT_YEAR), child).find("CINdetails")

    assert this_year is not None
    assert next_year is not None
    assert texts(this_year, "Section47/S47ActualStartDate") == [
        "2025-09-08",
        "2026-01-05",
        "2026-03-09",
    ]
    assert texts(this_year, "Section47/ICPCnotRequired") == ["1", "0", "0"]
    assert this_year.find("Section47/DateOfInitialCPC") is None
    # The next year holds the enquiries still open on 1 April 2026, as they ended.
    assert texts(next_year, "Section47/S47ActualStartDate") == ["2026-01-05", "2026-03-09"]
    assert texts(next_year, "Section47/ICPCnotRequired") == ["0", "1"]


def test_previous_plans_count_those_before_caseline_and_earlier_ones(
    tmp_path: Path, worker: User
) -> None:
    with_history = PersonFactory.create(given_name="History")
    without = PersonFactory.create(given_name="None")
    ProtectionHistory.objects.create(
        person=with_history,
        plans_before_caseline=2,
        source_note="Counted from the old system",
        recorded_by=worker,
    )
    plans = []
    for child in (with_history, without):
        episode = referral(child, worker, "2024-09-02")
        first = enquiry(episode, worker, "2024-09-03", outcome="conference", completed="2024-09-13")
        icpc = conference(episode, worker, "2024-09-20", Conference.Kind.INITIAL, enquiry=first)
        plans.append(protection_plan(icpc, worker, category="PHY", end="2025-02-11"))
        again = enquiry(episode, worker, "2025-06-02", outcome="conference", completed="2025-06-13")
        icpc = conference(episode, worker, "2025-06-20", Conference.Kind.INITIAL, enquiry=again)
        plans.append(protection_plan(icpc, worker, category="NEG"))
        # A second plan recorded the same day counts the first as before it.
        same_day = conference(episode, worker, "2025-06-20", Conference.Kind.INITIAL)
        plans.append(protection_plan(same_day, worker, category="EMO"))

    document = produce(tmp_path)

    shown = {
        child.pk: texts(
            child_block(document, child), "CINdetails/ChildProtectionPlans/NumberOfPreviousCPP"
        )
        for child in (with_history, without)
    }
    assert shown == {with_history.pk: ["3", "4"], without.pk: ["1", "2"]}
    # The same as protection.queries counts them one plan at a time.
    in_year = [plan for plan in plans if plan.end_date is None]
    assert [count for child in (with_history, without) for count in shown[child.pk]] == [
        str(previous_plan_count(plan.person, plan)) for plan in in_year
    ]


def test_pre_proceedings_are_in_the_census_2027_as_they_stood_on_31_march(
    tmp_path: Path, worker: User
) -> None:
    child = PersonFactory.create()
    episode = referral(child, worker, "2026-01-12")
    pre_proceedings(episode, worker, "2026-02-02")  # started before the year: not in it
    stepped_up = pre_proceedings(
        episode,
        worker,
        "2026-06-01",
        letter_sent_on="2026-06-05",
        fgdm_offered=True,
        fgdm_facilitated=True,
        fgdm_held_on="2026-06-20",
        decided_on="2026-11-02",
        outcome="A",
        court_application_on="2026-11-10",
        proceedings_letter_sent_on="2026-11-12",
    )
    meeting(stepped_up, worker, PreProceedingsMeeting.Kind.INITIAL, "2026-06-15")
    meeting(stepped_up, worker, PreProceedingsMeeting.Kind.REVIEW, "2026-08-03")
    meeting(stepped_up, worker, PreProceedingsMeeting.Kind.REVIEW, "2026-10-05")
    # Late in the year: what happened after 31 March 2027 is left off, with what it carries.
    late = pre_proceedings(
        episode,
        worker,
        "2027-03-01",
        letter_sent_on="2027-04-02",
        fgdm_offered=True,
        fgdm_facilitated=True,
        fgdm_held_on="2027-04-20",
        decided_on="2027-05-04",
        outcome="B",
    )
    meeting(late, worker, PreProceedingsMeeting.Kind.INITIAL, "2027-03-22")
    meeting(late, worker, PreProceedingsMeeting.Kind.REVIEW, "2027-04-19")

    details = child_block(produce(tmp_path, NEXT_YEAR), child).find("CINdetails")

    assert details is not None
    first, second = details.findall("PreProceedingsandFGDM")
    assert [(element.tag, element.text) for element in first] == [
        ("PPStartDate", "2026-06-01"),
        ("LBPSentDate", "2026-06-05"),
        ("FGDMMeetingOffer", "1"),
        ("FGDMMeetingFac", "1"),
        ("InitialPPMeetingDate", "2026-06-15"),
        ("ReviewMeetingsCount", "2"),
        ("StepDecisionDate", "2026-11-02"),
        ("PPOutcome", "A"),
        ("CourtAppDate", "2026-11-10"),
        ("LetterInitCPDate", "2026-11-12"),
    ]
    # The order is the one cin.queries.pre_proceedings_census gives.
    assert [element.tag for element in first] == list(pre_proceedings_census(stepped_up))
    assert [(element.tag, element.text) for element in second] == [
        ("PPStartDate", "2027-03-01"),
        ("InitialPPMeetingDate", "2027-03-22"),
        ("ReviewMeetingsCount", "0"),
    ]
    # The census 2026 has no such block: its schema has none.
    earlier = child_block(produce(tmp_path), child).find("CINdetails")
    assert earlier is not None
    assert earlier.find("PreProceedingsandFGDM") is None


def test_assessment_factors_are_given_only_for_an_assessment_authorised_in_the_year(
    tmp_path: Path, worker: User
) -> None:
    child = PersonFactory.create()
    episode = referral(child, worker, "2026-02-02")
    assessment(episode, worker, "2026-02-03", "2026-03-30")
    assessment(episode, worker, "2026-03-16", "2026-04-14")
    assessment(episode, worker, "2026-03-23", None)

    this_year = child_block(produce(tmp_path), child).find("CINdetails")
    next_year = child_block(produce(tmp_path, NEXT_YEAR), child).find("CINdetails")

    assert this_year is not None
    assert next_year is not None
    assert [
        texts(block, "FactorsIdentifiedAtAssessment/AssessmentFactors")
        for block in this_year.iterfind("Assessments")
    ] == [["3A", "16A"], [], []]
    # The next year leaves out the one authorised before it and gives the other's factors.
    assert texts(next_year, "Assessments/AssessmentActualStartDate") == [
        "2026-03-16",
        "2026-03-23",
    ]
    assert [
        texts(block, "FactorsIdentifiedAtAssessment/AssessmentFactors")
        for block in next_year.iterfind("Assessments")
    ] == [["3A", "16A"], []]


def test_every_child_exported_is_audited(tmp_path: Path, worker: User) -> None:
    children = [PersonFactory.create() for _ in range(3)]
    for child in children:
        referral(child, worker, "2025-07-01")

    produce(tmp_path)

    exported = AuditEvent.objects.filter(event_type=EventType.EXPORTED)
    people = exported.filter(subject_person_id__isnull=False)
    assert sorted(event.subject_person_id or 0 for event in people) == sorted(
        child.pk for child in children
    )
    summary = exported.get(subject_person_id__isnull=True)
    assert summary.extra["export"] == "cin-census 2026"
    assert summary.extra["files"] == ["census-2026.xml"]


@pytest.mark.parametrize("year", [YEAR, NEXT_YEAR], ids=str)
def test_the_queries_do_not_grow_with_the_children(
    tmp_path: Path, worker: User, year: CollectionYear
) -> None:
    def add_children(count: int) -> None:
        for _ in range(count):
            child = PersonFactory.create()
            episode = referral(child, worker, "2025-07-01")
            assessment(episode, worker, "2025-07-02", "2025-08-01")
            enquiry(episode, worker, "2025-08-04", outcome="cin", completed="2025-08-20")
            s47 = enquiry(
                episode, worker, "2026-02-02", outcome="conference", completed="2026-02-13"
            )
            icpc = conference(episode, worker, "2026-02-20", Conference.Kind.INITIAL, enquiry=s47)
            protection_plan(icpc, worker, category="NEG")
            ProtectionHistory.objects.create(
                person=child, plans_before_caseline=1, source_note="Old system", recorded_by=worker
            )
            proceedings = pre_proceedings(episode, worker, "2026-06-01")
            PreProceedingsMeeting.objects.create(
                proceedings=proceedings,
                kind=PreProceedingsMeeting.Kind.INITIAL,
                held_on=day("2026-06-15"),
                recorded_by=worker,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            produced = CIN_CENSUS.produce(year, tmp_path / "census.xml")
        assert produced.rows["child protection plans"] == len(produced.person_ids)
        if year == NEXT_YEAR:
            assert produced.rows["periods of pre-proceedings"] == len(produced.person_ids)
        return len(captured.captured_queries)

    add_children(2)
    few = queries()
    add_children(6)
    assert queries() == few


def test_an_interrupted_run_leaves_no_file(
    tmp_path: Path, worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(2):
        referral(PersonFactory.create(), worker, "2025-07-01")
    read = reading.read_children

    def interrupted(year: CollectionYear, person_ids: Any) -> Iterator[Any]:
        children = read(year, person_ids)
        yield next(children)
        raise KeyboardInterrupt

    monkeypatch.setattr(census, "read_children", interrupted)
    with pytest.raises(KeyboardInterrupt):
        CIN_CENSUS.produce(YEAR, tmp_path / "census.xml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("year", "out", "message"),
    [
        ("2019", "census.xml", "cannot be produced for 2019"),
        ("2028", "census.xml", "for 2026, 2027 only"),
        ("next", "census.xml", "must be a collection year"),
        ("2026", "missing/census.xml", "does not exist"),
        ("2026", ".", "is a folder"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(
    tmp_path: Path, year: str, out: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command(
            "returns", "cin-census", "--year", year, "--out", str(tmp_path / out), "--quiet"
        )
    assert raised.value.returncode == 2
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(event_type=EventType.EXPORTED).exists()


def test_the_command_writes_the_census_and_says_what_it_holds(tmp_path: Path, worker: User) -> None:
    referral(PersonFactory.create(), worker, "2025-07-01")
    out = io.StringIO()

    call_command(
        "returns", "cin-census", "--year", "2026", "--out", str(tmp_path / "c.xml"), stdout=out
    )

    assert "Children in need census 2026 (2025 to 2026) for 1 children" in out.getvalue()
    assert "episodes 1" in out.getvalue()
    SCHEMA.assertValid(etree.parse(str(tmp_path / "c.xml")))
    assert RETURNS["cin-census"] is CIN_CENSUS


def test_the_census_2027_is_written_to_its_own_schema(tmp_path: Path, worker: User) -> None:
    referral(PersonFactory.create(), worker, "2026-07-01")
    out = io.StringIO()

    call_command(
        "returns", "cin-census", "--year", "2027", "--out", str(tmp_path / "c.xml"), stdout=out
    )

    assert CIN_CENSUS.years == (2026, 2027)
    assert "Children in need census 2027 (2026 to 2027) for 1 children" in out.getvalue()
    document = etree.parse(str(tmp_path / "c.xml"))
    SCHEMA_OF[2027].assertValid(document)
    assert texts(document.getroot(), "Header/CollectionDetails/Year") == ["2027"]
    assert texts(document.getroot(), "Header/CollectionDetails/ReferenceDate") == ["2027-03-31"]


# A schema's code set -> the code list that holds its codes.
SCHEMA_CODE_SETS = {
    "sextype": CodeListName.SEX,
    "ethnicitytype": CodeListName.ETHNICITY,
    "disabilitytype": CodeListName.DISABILITY,
    "referralsourcetype": CodeListName.REFERRAL_SOURCE,
    "primaryneedcodetype": CodeListName.PRIMARY_NEED,
    "assessmentfactorstype": CodeListName.ASSESSMENT_FACTOR,
    "reasonforclosuretype": CodeListName.CIN_CLOSURE_REASON,
    "categoryofabuse": CodeListName.CP_CATEGORY,
    "unknownupntype": CodeListName.UPN_UNKNOWN,
    "ppoutcometype": CodeListName.PRE_PROCEEDINGS_OUTCOME,
}


@pytest.mark.parametrize("census_year", sorted(SCHEMAS))
def test_each_schemas_code_sets_are_the_code_lists_of_its_year(census_year: int) -> None:
    code_list_year = CollectionYear(census_year).code_list_year
    schema = etree.parse(str(SCHEMAS[census_year]))
    namespaces = {"xs": "http://www.w3.org/2001/XMLSchema"}
    held = {
        str(simple.get("name")): {
            str(value.get("value")) for value in simple.iterfind(".//xs:enumeration", namespaces)
        }
        for simple in schema.iterfind("xs:simpleType", namespaces)
    }
    for code_set, name in SCHEMA_CODE_SETS.items():
        listed = {code.code for code in code_list(name).current(code_list_year)}
        if not listed:  # a list that starts later (PPOutcome from the census 2027)
            assert code_set not in held, f"{code_set} is in the {census_year} schema"
            continue
        assert held.get(code_set) == listed, f"{code_set} in the {census_year} schema"


@pytest.mark.parametrize("year", [YEAR, NEXT_YEAR], ids=str)
def test_a_generated_authority_gives_a_valid_census_of_its_children_in_need(
    tmp_path: Path, year: CollectionYear
) -> None:
    Builder(Parameters(children=60, years=3, seed=7, as_at=datetime.date(2026, 12, 2))).run()
    expected = reading.census_person_ids(year)
    assert expected

    document = produce(tmp_path, year)

    assert texts(document.getroot(), "Children/Child/ChildIdentifiers/LAchildID") == [
        child_id(person_id) for person_id in expected
    ]
    for referral_date in texts(document.getroot(), "Children/Child/CINdetails/CINreferralDate"):
        assert day(referral_date) <= year.end
