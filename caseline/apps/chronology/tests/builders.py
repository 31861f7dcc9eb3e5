"""Build a synthetic child with every kind of event a chronology shows, through the actions.

Used by the chronology tests (every event type, filters, PDF, query count) and the browser
test. ``EXPECTED`` lists what each event must look like in the chronology: add a row when an
app adds a kind of event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.roles import assign_role
from caseline.apps.assessments import actions as assessment_actions
from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.chronology.actions import record_agency_event
from caseline.apps.cin import actions as cin_actions
from caseline.apps.cin.models import CINPlan, PlanReview
from caseline.apps.frontdoor import actions as frontdoor_actions
from caseline.apps.frontdoor.models import Contact, ContactPerson, EarlyHelpEpisode, Referral
from caseline.apps.lookedafter import actions as care_actions
from caseline.apps.lookedafter.actions import PlacementDetails
from caseline.apps.lookedafter.models import CarePlan, HealthRecord, PersonalEducationPlan
from caseline.apps.people import actions as people_actions
from caseline.apps.people.contribution import Category
from caseline.apps.people.models import Person, Relationship
from caseline.apps.people.rules import SOCIAL_WORKER_EPISODES_FROM
from caseline.apps.protection import actions as protection_actions
from caseline.apps.protection.models import (
    Agency,
    Conference,
    Participation,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.recording.actions import record_note

LONDON = ZoneInfo("Europe/London")
D = datetime.date
DAY = datetime.timedelta(days=1)
# How Mia's plans meet her identity needs (agreeing or reviewing a plan asks for it).
IDENTITY = "Mia is mixed White and Black Caribbean: the plan keeps her at her Saturday club."


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@dataclass
class Cast:
    """The staff who work with the child."""

    front_door: User
    worker: User
    manager: User
    team: Team


@dataclass(frozen=True)
class Expected:
    """One entry the chronology must show: its category, date, a fragment of its text and
    whether it is significant."""

    category: Category
    date: datetime.date
    fragment: str
    significant: bool


ASSESSMENT_CONTENT: dict[str, Any] = {
    "child_seen": True,
    "child_seen_alone": True,
    "child_views": "Mia drew her three houses: she wants the shouting at home to stop.",
    "child_views_method": Assessment.ViewsMethod.DRAWING,
    "parents_views": "Mum wants help with routines.",
    "identity": "Mia is bilingual; the family go to church each week.",
    "family_history": "Two earlier contacts about arguments at home.",
    "risk_factors": "Shouting late at night; Mia is tired at school and has been late 9 times.",
    "protective_factors": "Grandmother nearby; Mia goes to school every day.",
    "analysis": "Needs are met in part; without help the stress is likely to grow.",
    "outcome": Assessment.Outcome.CIN_PLAN,
    "recommendation": "Child in need plan with parenting support.",
    "factors": ["3B", "4B"],
}


def make_child(given: str = "Mia", family: str = "Chronotest") -> Person:
    return Person.objects.create(
        given_name=given,
        family_name=family,
        sex=Person.Sex.FEMALE,
        date_of_birth=D(2015, 6, 1),
    )


def build_family(cast: Cast, child: Person) -> list[Expected]:
    """Parents who separate, a father who dies, a mother's new partner, a half-sister's
    birth, a step-parent, two homes and an alert."""
    user = cast.worker
    mother = Person.objects.create(
        given_name="Ruth", family_name="Chronotest", sex=Person.Sex.FEMALE
    )
    father = Person.objects.create(
        given_name="Dean",
        family_name="Chronotest",
        sex=Person.Sex.MALE,
        date_of_death=D(2024, 8, 9),
    )
    partner = Person.objects.create(given_name="Lee", family_name="Newpart", sex=Person.Sex.MALE)
    sister = Person.objects.create(
        given_name="Ivy", family_name="Newpart", sex=Person.Sex.FEMALE, date_of_birth=D(2024, 11, 2)
    )
    for parent in (mother, father):
        people_actions.record_relationship(
            acting_user=user, person=parent, other=child, kind=Relationship.Kind.PARENT
        )
    parents = people_actions.record_relationship(
        acting_user=user,
        person=mother,
        other=father,
        kind=Relationship.Kind.FORMER_PARTNER,
        start_date=D(2013, 4, 1),
    )
    people_actions.end_relationship(acting_user=user, relationship=parents, end_date=D(2023, 3, 6))
    people_actions.record_relationship(
        acting_user=user,
        person=mother,
        other=partner,
        kind=Relationship.Kind.PARTNER,
        start_date=D(2023, 9, 1),
    )
    people_actions.record_relationship(
        acting_user=user,
        person=partner,
        other=child,
        kind=Relationship.Kind.STEP_PARENT,
        start_date=D(2024, 2, 1),
    )
    people_actions.record_relationship(
        acting_user=user, person=sister, other=child, kind=Relationship.Kind.HALF_SIBLING
    )
    people_actions.add_address(
        acting_user=user,
        person=child,
        line_1="4 Elm Row",
        town="Northtown",
        postcode="NT1 2AB",
        start_date=D(2015, 6, 1),
    )
    people_actions.add_address(
        acting_user=user,
        person=child,
        line_1="12 Oak Road",
        town="Northtown",
        postcode="NT3 4CD",
        start_date=D(2023, 4, 3),
        end_previous=True,
    )
    people_actions.add_alert(
        acting_user=user,
        person=child,
        text="Do not disclose the address to the father's family",
        start_date=D(2023, 4, 3),
    )
    name = child.given_name
    return [
        Expected(Category.FAMILY, D(2015, 6, 1), f"{name} was born.", False),
        Expected(Category.FAMILY, D(2015, 6, 1), f"{name} was living at 4 Elm Row", False),
        Expected(
            Category.FAMILY,
            D(2023, 3, 6),
            f"Ruth Chronotest ({name}'s mother) and Dean Chronotest ({name}'s father) separated.",
            True,
        ),
        Expected(Category.FAMILY, D(2023, 4, 3), f"{name} moved to 12 Oak Road", True),
        Expected(
            Category.FAMILY,
            D(2023, 4, 3),
            f"Alert added to {name}'s record: Do not disclose the address",
            False,
        ),
        Expected(
            Category.FAMILY,
            D(2023, 9, 1),
            f"Ruth Chronotest ({name}'s mother) began a relationship with Lee Newpart",
            True,
        ),
        Expected(Category.FAMILY, D(2024, 2, 1), f"Lee Newpart became {name}'s stepfather.", True),
        Expected(Category.FAMILY, D(2024, 8, 9), f"{name}'s father, Dean Chronotest, died.", True),
        Expected(
            Category.FAMILY, D(2024, 11, 2), f"{name}'s half-sister, Ivy Newpart, was born.", False
        ),
    ]


def build_episode(cast: Cast, child: Person, start: datetime.date) -> list[Expected]:
    """One child in need episode, about 200 days from ``start`` (a Monday): a contact decided
    late, a referral, allocation, an assessment returned once and authorised late, a plan with
    visits and a review, the plan ending, a step down to early help and a strategy contact.
    A following episode starts with a step up."""
    name = child.given_name
    expected: list[Expected] = []
    if EarlyHelpEpisode.objects.filter(person=child, end_date__isnull=True).exists():
        frontdoor_actions.record_step_up(
            acting_user=cast.front_door,
            child=child,
            date=start,
            rationale="School reports Mia is missing lessons again",
        )
        expected.append(
            Expected(
                Category.EARLY_HELP,
                start,
                "Stepped up from early help to children's social care. Reason: School reports",
                True,
            )
        )
        expected.append(Expected(Category.EARLY_HELP, start, "Early help ended.", False))
    earlier_referral = Referral.objects.filter(person=child).exists()
    contact = frontdoor_actions.record_contact(
        acting_user=cast.front_door,
        received_at=at(start),
        source="2A",
        referrer_organisation="Northtown Primary School",
        concern="Mia came to school with a bruise on her arm and said Dad shouted.",
        consent=Contact.Consent.GIVEN,
        people=[(child, ContactPerson.Role.SUBJECT)],
    )
    decided = start + 3 * DAY
    frontdoor_actions.decide_contact(
        acting_user=cast.front_door,
        contact=contact,
        decision=Contact.Decision.REFERRAL,
        rationale="Repeated concerns about shouting and an unexplained bruise",
        decided_at=at(decided, 15),
        primary_need="N1",
    )
    expected += [
        Expected(
            Category.CONTACT,
            start,
            "Contact from Northtown Primary School (a school): Mia came to school with a bruise",
            False,
        ),
        Expected(
            Category.CONTACT,
            start,
            f"Decided by {cast.front_door.get_full_name()} on",
            False,
        ),
        Expected(Category.CONTACT, start, "The decision was 2 working days late", False),
        Expected(
            Category.REFERRAL,
            decided,
            "Referral to children's social care from a school. Main need: abuse or neglect.",
            True,
        ),
        Expected(
            Category.REFERRAL,
            decided,
            "Re-referral: the last referral was 6 months earlier."
            if earlier_referral
            else f"This is the first referral on {name}'s record.",
            True,
        ),
    ]
    allocated = decided + DAY
    frontdoor_actions.allocate_case(
        acting_user=cast.manager,
        child=child,
        team=cast.team,
        worker=cast.worker,
        start_date=allocated,
        # The SSDA903 reason codes start with the 2023-24 social worker episodes.
        change_reason="FCONTA" if allocated >= SOCIAL_WORKER_EPISODES_FROM else "",
        reason="New referral",
    )
    expected.append(
        Expected(
            Category.ALLOCATION,
            allocated,
            f"Allocated to {cast.worker.get_full_name()}, {cast.team.name}.",
            False,
        )
    )

    assessment = assessment_actions.start_assessment(
        acting_user=cast.worker, child=child, start_date=allocated
    )
    seen = allocated + 7 * DAY
    assessment = assessment_actions.save_assessment(
        acting_user=cast.worker,
        assessment=assessment,
        read_version=assessment.version,
        values={**ASSESSMENT_CONTENT, "date_child_seen": seen},
    )
    assessment_actions.submit_assessment(acting_user=cast.worker, assessment=assessment)
    assessment_actions.return_assessment(
        acting_user=cast.manager,
        assessment=assessment,
        reasons="Say more about the father's drinking",
    )
    assessment = Assessment.objects.get(pk=assessment.pk)
    assessment_actions.submit_assessment(acting_user=cast.worker, assessment=assessment)
    authorised = start + 77 * DAY  # a Monday, 52 working days after the referral
    assessment = Assessment.objects.get(pk=assessment.pk)
    assessment_actions.authorise_assessment(
        acting_user=cast.manager,
        assessment=assessment,
        authorised_on=authorised,
        late_reason="The family were away for three weeks",
        manager_comment="The analysis is sound: a plan with parenting support is right",
    )
    # The submission and return happened "now"; put them where they would have been.
    submitted = authorised - 3 * DAY
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=at(submitted))
    AssessmentReturn.objects.filter(assessment=assessment).update(
        returned_at=at(authorised - 10 * DAY)
    )
    manager = cast.manager.get_full_name()
    expected += [
        Expected(Category.ASSESSMENT, allocated, "Single assessment started.", False),
        Expected(
            Category.ASSESSMENT,
            seen,
            f"{name} seen for the assessment. {name} was seen alone.",
            False,
        ),
        Expected(
            Category.ASSESSMENT,
            authorised - 10 * DAY,
            f"Assessment returned to the social worker by {manager}. Reasons: Say more about "
            "the father's drinking.",
            False,
        ),
        Expected(
            Category.ASSESSMENT,
            submitted,
            "Assessment submitted to the manager for authorisation.",
            False,
        ),
        Expected(
            Category.ASSESSMENT,
            authorised,
            f"Assessment authorised by {manager}: outcome child in need plan. Risk: Shouting "
            "late at night",
            True,
        ),
        Expected(
            Category.ASSESSMENT,
            authorised,
            "over the 45-working-day timescale. Reason for the delay: The family were away",
            True,
        ),
    ]

    plan_start = authorised + 2 * DAY
    plan = cin_actions.start_plan(
        acting_user=cast.worker,
        child=child,
        start_date=plan_start,
        child_views="I want to feel safe and for Mum to be happy.",
        identity_needs=IDENTITY,
    )
    for text in ("Mia feels safe at home", "Mia goes to school on time"):
        cin_actions.add_outcome(acting_user=cast.worker, plan=plan, outcome=text)
    visit_seen = plan_start + 10 * DAY
    cin_actions.record_visit(
        acting_user=cast.worker,
        child=child,
        visit_date=visit_seen,
        child_seen=True,
        child_seen_alone=True,
        seen_bedroom=True,
        purpose="Check on the plan's progress",
        observations="Home tidy, Mia relaxed",
        child_views="School is better now.",
    )
    visit_missed = plan_start + 20 * DAY
    cin_actions.record_visit(
        acting_user=cast.worker,
        child=child,
        visit_date=visit_missed,
        child_seen=False,
        child_seen_alone=False,
        seen_bedroom=None,
        purpose="Planned home visit",
        observations="Nobody answered the door",
        not_seen_reason="Nobody was home",
    )
    review_date = plan_start + 30 * DAY
    cin_actions.record_review(
        acting_user=cast.worker,
        plan=plan,
        review_date=review_date,
        progress="Attendance has improved to 96%",
        child_views="I like my new teacher.",
        identity_needs=IDENTITY,
        decision=PlanReview.Decision.CONTINUE,
    )
    plan_end = plan_start + 60 * DAY
    cin_actions.end_plan(
        acting_user=cast.worker,
        plan=CINPlan.objects.get(pk=plan.pk),
        end_date=plan_end,
        end_reason=CINPlan.EndReason.OUTCOMES_ACHIEVED,
    )
    expected += [
        Expected(
            Category.PLAN,
            plan_start,
            f"Child in need plan started with 2 outcomes for {name}. {name}'s views: “I want "
            "to feel safe",
            True,
        ),
        Expected(
            Category.VISIT,
            visit_seen,
            f"Child in need visit. {name} was seen alone. Their bedroom was seen.",
            False,
        ),
        Expected(
            Category.VISIT,
            visit_missed,
            f"Child in need visit. {name} was not seen. Reason: Nobody was home.",
            True,
        ),
        Expected(
            Category.PLAN,
            review_date,
            "Child in need plan reviewed. Decision: continue the plan as it is. Progress: "
            "Attendance has improved",
            False,
        ),
        Expected(
            Category.PLAN,
            plan_end,
            "Child in need plan ended: the plan's outcomes were achieved.",
            True,
        ),
    ]

    step_down = plan_end + 3 * DAY
    frontdoor_actions.record_step_down(
        acting_user=cast.worker,
        child=child,
        date=step_down,
        rationale="The plan's outcomes were met; the school will lead early help",
        organisation="Northtown Primary School",
        lead_practitioner="Pat Lead",
    )
    frontdoor_actions.allocate_case(
        acting_user=cast.manager,
        child=child,
        team=cast.team,
        worker=None,
        start_date=step_down,
    )
    expected += [
        Expected(
            Category.REFERRAL,
            step_down,
            # A step down after a plan closes as RC7 (DfE CIN census rule 2990 rules out RC9).
            "Child in need episode closed: help was no longer needed, or ended for another reason.",
            True,
        ),
        Expected(
            Category.EARLY_HELP,
            step_down,
            "Early help started with Northtown Primary School, lead practitioner Pat Lead.",
            False,
        ),
        Expected(
            Category.EARLY_HELP,
            step_down,
            "Stepped down from children's social care to early help. Reason: The plan's",
            True,
        ),
        Expected(
            Category.ALLOCATION,
            step_down,
            f"Allocated to {cast.team.name} (no social worker named yet).",
            False,
        ),
    ]

    strategy_on = step_down + 14 * DAY
    strategy = frontdoor_actions.record_contact(
        acting_user=cast.front_door,
        received_at=at(strategy_on),
        source="6",
        concern="Police called to the home after a fight between adults.",
        consent=Contact.Consent.NOT_NEEDED,
        people=[(child, ContactPerson.Role.SUBJECT)],
    )
    frontdoor_actions.decide_contact(
        acting_user=cast.front_door,
        contact=strategy,
        decision=Contact.Decision.STRATEGY,
        rationale="Mia was present during the violence",
        decided_at=at(strategy_on, 16),
    )
    expected.append(
        Expected(
            Category.CONTACT,
            strategy_on,
            "Contact from the police: Police called to the home",
            True,
        )
    )
    return expected


def build_recording_and_agencies(cast: Cast, child: Person) -> list[Expected]:
    """A significant case note, management oversight and an event police reported."""
    record_note(
        acting_user=cast.worker,
        child=child,
        note_type="direct-work",
        occurred_at=at(D(2023, 5, 2)),
        title="Direct work: three houses",
        body="Mia talked about her worries.",
        is_significant=True,
        significance="Mia said for the first time that she is scared of Dad",
    )
    from caseline.apps.recording.actions import record_management_oversight

    record_management_oversight(
        acting_user=cast.manager,
        child=child,
        occurred_at=at(D(2023, 5, 3)),
        decision="Continue the assessment",
        rationale="Mia is safe with Mum",
    )
    record_agency_event(
        acting_user=cast.worker,
        child=child,
        event_date=D(2023, 2, 14),
        agency="Police",
        what_happened="Police attended a domestic incident at the family home.",
        why_it_matters="Mia was present and frightened.",
    )
    return [
        Expected(Category.NOTE, D(2023, 5, 2), "Direct work: three houses", True),
        Expected(Category.OVERSIGHT, D(2023, 5, 3), "Continue the assessment", False),
        Expected(
            Category.OTHER_AGENCY,
            D(2023, 2, 14),
            "Police attended a domestic incident at the family home.",
            True,
        ),
    ]


def _agencies(**overrides: str) -> dict[str, tuple[str, str]]:
    return {
        agency.value: (overrides.get(agency.value, Participation.ATTENDED), "") for agency in Agency
    }


def _conference(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "attendees": _agencies(),
        "health_knows_child": True,
        "reports_shared": Conference.ReportsShared.YES,
        "child_participation": "Mia wrote to the chair.",
        "family_participation": "Mum attended with an advocate.",
        "rationale": "Mia is likely to suffer significant harm from the violence at home.",
        "identity_needs": IDENTITY,
    }
    values.update(overrides)
    return values


def build_protection(cast: Cast, child: Person) -> list[Expected]:
    """Child protection from November 2025: a strategy meeting without the police, a joint
    enquiry with an ABE interview, a conference on time, a plan with a core group and a
    missed visit, a review changing the category and one ending the plan."""
    name = child.given_name
    strategy_on = D(2025, 11, 3)
    discussion = protection_actions.record_strategy_discussion(
        acting_user=cast.worker,
        child=child,
        kind=StrategyDiscussion.Kind.MEETING,
        held_at=at(strategy_on),
        participants=_agencies(police=Participation.ABSENT),
        information_shared="Mia has a bruise on her face; Dad is back at home.",
        decision="Joint section 47 enquiry; see Mia at school today.",
        rationale="An injury to a child's face with a history of violence at home.",
        s47_decision=StrategyDiscussion.S47Decision.JOINT,
    )
    enquiry = Section47Enquiry.objects.get(strategy_discussion=discussion)
    protection_actions.record_police_decision(
        acting_user=cast.worker,
        enquiry=enquiry,
        decided_on=strategy_on + DAY,
        decision="Interview Mia and arrest Dad",
        abe_interview=True,
        abe_interview_on=strategy_on + 2 * DAY,
        officer="DC Chrono Shaw",
    )
    protection_actions.complete_enquiry(
        acting_user=cast.worker,
        enquiry=enquiry,
        outcome=Section47Enquiry.Outcome.CONFERENCE,
        completed_on=D(2025, 11, 14),
        outcome_note="Mia said Dad hit her",
    )
    icpc_on = D(2025, 11, 21)
    protection_actions.hold_initial_conference(
        acting_user=_iro(),
        child=child,
        enquiry=Section47Enquiry.objects.get(pk=enquiry.pk),
        conference_date=icpc_on,
        decision=Conference.Decision.PLAN,
        category="PHY",
        lead_social_worker=cast.worker,
        outline_plan="Dad to stay away; Mum to work with the domestic abuse service.",
        **_conference(),
    )
    plan = ProtectionPlan.objects.get(person=child, end_date__isnull=True)
    core_group_on = D(2025, 12, 3)
    protection_actions.record_core_group(
        acting_user=cast.worker,
        plan=plan,
        meeting_date=core_group_on,
        attendees="Mum, school, health visitor",
        progress=Conference.Progress.SOME,
        progress_note="Mum has started the domestic abuse course",
    )
    visit_on = D(2025, 12, 10)
    protection_actions.record_visit(
        acting_user=cast.worker,
        plan=plan,
        visit_date=visit_on,
        child_seen=False,
        child_seen_alone=False,
        observations="Nobody answered the door",
    )
    review_on = D(2026, 2, 20)
    review_values = _conference(progress=Conference.Progress.SOME)
    protection_actions.hold_review_conference(
        acting_user=_iro(),
        plan=ProtectionPlan.objects.get(pk=plan.pk),
        conference_date=review_on,
        decision=Conference.Decision.CONTINUE,
        category="EMO",
        **review_values,
    )
    end_on = D(2026, 3, 20)
    protection_actions.hold_review_conference(
        acting_user=_iro(),
        plan=ProtectionPlan.objects.get(pk=plan.pk),
        conference_date=end_on,
        decision=Conference.Decision.END,
        category="",
        **_conference(progress=Conference.Progress.GOOD, rationale="Dad has left; Mum is safe."),
    )
    return [
        Expected(
            Category.PROTECTION,
            strategy_on,
            "Strategy meeting held. Took part: children's social care (attended), health",
            True,
        ),
        Expected(
            Category.PROTECTION,
            strategy_on,
            f"Section 47 enquiry started jointly with the police into whether {name}",
            True,
        ),
        Expected(
            Category.PROTECTION,
            strategy_on + DAY,
            f"An achieving best evidence interview with {name} is planned",
            True,
        ),
        Expected(
            Category.PROTECTION,
            D(2025, 11, 14),
            "Section 47 enquiry completed. Outcome: concerns substantiated",
            True,
        ),
        Expected(
            Category.PROTECTION,
            icpc_on,
            "Category: physical abuse. Lead social worker: Sam Worth. This is the child's "
            "first child protection plan.",
            False,
        ),
        Expected(
            Category.PROTECTION,
            icpc_on,
            f"Child protection plan started for {name} under the category of physical abuse.",
            True,
        ),
        Expected(
            Category.PROTECTION,
            core_group_on,
            "Core group meeting. Progress: some progress.",
            False,
        ),
        Expected(Category.VISIT, visit_on, f"Child protection visit. {name} was not seen.", True),
        Expected(
            Category.PROTECTION,
            review_on,
            "The category changed from physical abuse to emotional abuse.",
            True,
        ),
        Expected(Category.PROTECTION, end_on, "The child protection plan ended.", True),
    ]


def _iro() -> User:
    """The independent reviewing officer who chairs the child's conferences and reviews."""
    iro, created = User.objects.get_or_create(
        username="iro.chrono", defaults={"first_name": "Ira", "last_name": "Chair"}
    )
    if created:
        assign_role(iro, Role.IRO)
    return iro


def build_care(cast: Cast, child: Person) -> list[Expected]:
    """Care from April 2026: a status change, a move, a care plan, a review, a missed visit,
    health and education, a missing episode, the pen picture and leaving care."""
    name = child.given_name
    iro = _iro()
    start = D(2026, 4, 6)
    care_actions.start_period_of_care(
        acting_user=cast.worker,
        child=child,
        start_date=start,
        legal_status="C1",
        placement=PlacementDetails(
            placement_type="U6",
            placement_provider="PR1",
            ofsted_urn="SC100003",  # the council's fostering service
            placement_postcode="NT1 1AA",
            carer_name="Carer household Chrono",
        ),
    )
    care_actions.allocate_iro(acting_user=cast.worker, child=child, iro=iro, start_date=start)
    plan_on = start + 7 * DAY
    care_actions.record_care_plan(
        acting_user=cast.worker,
        child=child,
        plan_date=plan_on,
        permanence_plan=CarePlan.Permanence.RETURN_HOME,
        plan_summary="Mia returns home when Mum has finished the course",
        placement_plan="Carers take Mia to school",
        child_views="I miss Mum",
        identity_needs="Mia goes to the Caribbean church with Nan",
    )
    review_on = start + 20 * DAY
    care_actions.record_review(
        acting_user=iro,
        child=child,
        review_date=review_on,
        participation="PN1",
        child_views="Mia likes her carers",
    )
    visit_on = start + 30 * DAY
    care_actions.record_visit(
        acting_user=cast.worker,
        child=child,
        visit_date=visit_on,
        child_seen=False,
        seen_alone=False,
        note="Mia was out with her carers",
    )
    iha_on = start + 25 * DAY
    care_actions.record_health(
        acting_user=cast.worker,
        child=child,
        kind=HealthRecord.Kind.INITIAL_ASSESSMENT,
        event_date=iha_on,
        immunisations_up_to_date=True,
        health_plan="Dental check booked",
    )
    pep_on = start + 26 * DAY
    care_actions.record_pep(
        acting_user=cast.worker,
        child=child,
        pep_date=pep_on,
        school="Northtown Primary School",
        virtual_school_contact="Val Stone",
        quality=PersonalEducationPlan.Quality.GOOD,
        attainment="Reading at the expected level",
        child_views="I like my teacher",
    )
    status_on = D(2026, 6, 1)
    care_actions.change_legal_status(
        acting_user=cast.worker, child=child, change_date=status_on, legal_status="C2"
    )
    missing_on = D(2026, 6, 12)
    care_actions.record_missing(
        acting_user=cast.worker,
        child=child,
        missing_type="M",
        start_date=missing_on,
        end_date=missing_on + DAY,
        return_interview_offered=True,
        return_interview_accepted=True,
    )
    move_on = D(2026, 7, 6)
    care_actions.change_placement(
        acting_user=cast.worker,
        child=child,
        change_date=move_on,
        placement=PlacementDetails(
            placement_type="U4",
            placement_provider="PR1",
            ofsted_urn="SC100003",  # the council's fostering service
            placement_postcode="NT1 2BB",
            carer_name="Carer household Long",
        ),
        same_carer=False,
        reason_place_change="CARPL",
    )
    end_on = D(2026, 10, 5)
    care_actions.end_period_of_care(
        acting_user=cast.worker, child=child, end_date=end_on, reason_episode_ceased="E13"
    )
    care_actions.save_pen_picture(
        acting_user=cast.worker,
        child=child,
        read_version=None,
        who_they_are="Mia loves drawing and her little brother",
        what_matters="Seeing Mum",
        story_so_far="In care from April to October 2026",
        big_decisions="A care order because of violence at home",
    )
    return [
        Expected(Category.CARE, start, f"{name} came into care. Legal status: interim", True),
        Expected(Category.PLAN, plan_on, "Care plan agreed. Permanence plan: return home.", True),
        Expected(Category.PLAN, review_on, "Looked-after review chaired by Ira Chair.", False),
        Expected(Category.VISIT, visit_on, f"Statutory visit. {name} was not seen.", True),
        Expected(Category.HEALTH_EDUCATION, iha_on, "Initial health assessment.", False),
        Expected(
            Category.HEALTH_EDUCATION, pep_on, "Personal education plan meeting at Northtown", False
        ),
        Expected(
            Category.CARE,
            status_on,
            "Legal status changed from interim care order to care order.",
            True,
        ),
        Expected(Category.CARE, missing_on, f"{name} went missing.", True),
        Expected(Category.CARE, move_on, f"{name} moved placement to long-term foster care", True),
        Expected(Category.CARE, end_on, f"{name} left care after 2 placements.", True),
    ]


# Episodes start on Mondays, about 200 days apart.
EPISODE_STARTS = (D(2023, 1, 9), D(2023, 7, 31), D(2024, 2, 19), D(2024, 9, 9), D(2025, 3, 31))


def build_child_with_every_event(cast: Cast, *, episodes: int = 1) -> tuple[Person, list[Expected]]:
    """A child with every kind of event (and ``episodes`` episodes of work)."""
    child = make_child()
    expected = build_family(cast, child)
    for start in EPISODE_STARTS[:episodes]:
        expected += build_episode(cast, child, start)
    expected += build_recording_and_agencies(cast, child)
    expected += build_protection(cast, child)
    expected += build_care(cast, child)
    return child, expected
