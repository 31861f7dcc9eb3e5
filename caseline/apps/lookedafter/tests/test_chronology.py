"""Children in care in the chronology: coming into care, legal status and placement changes,
care plans, reviews, visits, health, education, missing episodes, leaving care, pathway plans,
keeping in touch and the pen picture, in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.lookedafter import actions, providers
from caseline.apps.lookedafter.chronology import (
    WHY_CAME_INTO_CARE,
    WHY_CARE_PLAN,
    WHY_LEFT_CARE,
    WHY_LEGAL_STATUS,
    WHY_MISSING,
    WHY_MOVE,
    WHY_OUT_OF_TOUCH,
    WHY_PERMANENCE_CHANGED,
    WHY_SUBSTANCE,
    care_chronology,
)
from caseline.apps.lookedafter.models import CarePlan, Episode, HealthRecord, PersonalEducationPlan
from caseline.apps.lookedafter.providers import CONTRIBUTION
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.contribution import (
    WHY_NOT_SEEN,
    Category,
    ChronologyEntry,
    contributions,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld

pytestmark = pytest.mark.django_db

D = datetime.date


def _starting(entries: list[ChronologyEntry], text: str) -> ChronologyEntry:
    [entry] = [e for e in entries if e.what_happened.startswith(text)]
    return entry


def test_the_app_contributes_its_chronology() -> None:
    assert contributions(["lookedafter"]) == [CONTRIBUTION]
    assert CONTRIBUTION.chronology is providers.chronology  # care, then permanence
    assert CONTRIBUTION.chronology_from_own_records is True


def test_coming_into_care_status_changes_moves_and_leaving_care(
    in_care: Episode, child: Person, worker: User
) -> None:
    actions.change_legal_status(
        acting_user=worker, child=child, change_date=D(2025, 3, 3), legal_status="C2"
    )
    actions.change_placement(
        acting_user=worker,
        child=child,
        change_date=D(2025, 4, 7),
        placement=foster(placement_type="K2", carer_name="Hilltop House", area=Episode.Area.OUT),
        same_carer=False,
        reason_place_change="CREQB",
    )
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 10, 6), reason_episode_ceased="E13"
    )
    entries = care_chronology(child, RecordsHeld.not_asked(child))
    came = entries[0]
    assert came.date == START
    assert came.category == Category.CARE
    assert came.what_happened == (
        "Ada came into care. Legal status: interim care order. Placed in foster care with "
        "Carer household Alpha."
    )
    assert came.significant
    assert came.why_it_matters == WHY_CAME_INTO_CARE
    assert came.recorded_by == str(worker)
    assert came.href == f"/looked-after/{child.pk}/#looked-after"
    status = _starting(entries, "Legal status changed")
    assert status.what_happened == ("Legal status changed from interim care order to care order.")
    assert status.date == D(2025, 3, 3)
    assert status.significant
    assert status.why_it_matters == WHY_LEGAL_STATUS
    moved = _starting(entries, "Ada moved placement")
    assert moved.what_happened == (
        "Ada moved placement to a children's home with Hilltop House, outside the local "
        "authority's area. Reason: the carers asked for the placement to end because of the "
        "child's behaviour."
    )
    assert moved.significant
    assert moved.why_it_matters == WHY_MOVE
    left = _starting(entries, "Ada left care")
    assert left.date == D(2025, 10, 6)
    assert left.what_happened == (
        "Ada left care after 2 placements. Reason: went to live with relatives or friends."
    )
    assert left.significant
    assert left.why_it_matters == WHY_LEFT_CARE


def test_care_plans_reviews_and_visits(
    in_care: Episode, child: Person, worker: User, iro: User
) -> None:
    for day, permanence in (
        (D(2025, 1, 13), CarePlan.Permanence.RETURN_HOME),
        (D(2025, 6, 2), CarePlan.Permanence.LONG_TERM_FOSTERING),
        (D(2025, 9, 1), CarePlan.Permanence.LONG_TERM_FOSTERING),
    ):
        actions.record_care_plan(
            acting_user=worker,
            child=child,
            plan_date=day,
            permanence_plan=permanence,
            plan_summary="assess whether Mum can care for Ada safely",
            placement_plan="Carers take Ada to school",
            child_views="I want to go home",
            identity_needs="Polish school on Saturdays",
        )
    review = actions.record_review(
        acting_user=iro,
        child=child,
        review_date=D(2025, 1, 31),
        participation="PN1",
        child_views="Ada likes her carers",
    )
    actions.add_recommendation(
        acting_user=iro,
        review=review,
        what="Arrange family time twice a week.",
        who="Social worker",
        by_when=D(2025, 2, 14),
        how_we_will_know="Family time record",
    )
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 1, 10),
        child_seen=True,
        seen_alone=True,
        note="settled and eating well",
    )
    actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 2, 20),
        child_seen=False,
        seen_alone=False,
        note="Ada was at a friend's house",
    )
    entries = care_chronology(child, RecordsHeld.not_asked(child))
    plans = [e for e in entries if e.what_happened.startswith("Care plan")]
    assert plans[0].what_happened == (
        "Care plan agreed. Permanence plan: return home. Assess whether Mum can care for Ada "
        "safely. Ada's views: “I want to go home”"
    )
    assert plans[0].significant
    assert plans[0].why_it_matters == WHY_CARE_PLAN
    assert plans[1].what_happened.startswith("Care plan updated. Permanence plan: long-term")
    assert plans[1].significant
    assert plans[1].why_it_matters == WHY_PERMANENCE_CHANGED
    assert not plans[2].significant
    assert plans[0].href.endswith("#care-plan")
    reviewed = _starting(entries, "Looked-after review")
    assert reviewed.what_happened == (
        "Looked-after review chaired by Indra Reviewer. How Ada took part: came and spoke for "
        "themselves. Ada's views: “Ada likes her carers” "
        "Recommendations: Arrange family time twice a week (Social worker, by 14 February "
        "2025)."
    )
    assert reviewed.category == Category.PLAN
    assert not reviewed.significant
    seen = _starting(entries, "Statutory visit. Ada was seen alone.")
    assert seen.what_happened == "Statutory visit. Ada was seen alone. Settled and eating well."
    assert not seen.significant
    missed = _starting(entries, "Statutory visit. Ada was not seen.")
    assert missed.significant
    assert missed.why_it_matters == WHY_NOT_SEEN
    assert missed.category == Category.VISIT


def test_health_education_missing_and_the_pen_picture(
    in_care: Episode, child: Person, worker: User
) -> None:
    actions.record_health(
        acting_user=worker,
        child=child,
        kind=HealthRecord.Kind.INITIAL_ASSESSMENT,
        event_date=D(2025, 1, 27),
        immunisations_up_to_date=False,
        health_plan="catch up on the MMR",
        notes="Asthma reviewed",
    )
    actions.record_health(
        acting_user=worker,
        child=child,
        kind=HealthRecord.Kind.REVIEW_ASSESSMENT,
        event_date=D(2025, 7, 1),
        immunisations_up_to_date=True,
        substance_misuse=True,
        intervention_received=True,
        health_plan="Referral to the young people's drug service.",
    )
    actions.record_health(
        acting_user=worker,
        child=child,
        kind=HealthRecord.Kind.SDQ,
        event_date=D(2025, 7, 2),
        sdq_score=18,
    )
    actions.record_pep(
        acting_user=worker,
        child=child,
        pep_date=D(2025, 2, 3),
        school="Oak Primary School",
        virtual_school_contact="Val Stone",
        quality=PersonalEducationPlan.Quality.REQUIRES_IMPROVEMENT,
        attainment="reading is behind; extra tutoring agreed",
        child_views="I like art",
    )
    actions.record_missing(
        acting_user=worker,
        child=child,
        missing_type="M",
        start_date=D(2025, 3, 14),
        end_date=D(2025, 3, 15),
        return_interview_offered=True,
        return_interview_accepted=True,
        notes="found at a friend's flat",
    )
    actions.record_missing(
        acting_user=worker,
        child=child,
        missing_type="A",
        start_date=D(2025, 4, 1),
        end_date=D(2025, 4, 1),
        return_interview_offered=False,
        return_interview_accepted=None,
    )
    actions.record_missing(
        acting_user=worker,
        child=child,
        missing_type="M",
        start_date=D(2025, 5, 1),
        end_date=None,
        return_interview_offered=None,
        return_interview_accepted=None,
    )
    actions.save_pen_picture(
        acting_user=worker,
        child=child,
        read_version=None,
        who_they_are="Ada is funny and loves drawing",
        what_matters="Her brother",
        story_so_far="Came into care in January 2025",
        big_decisions="Care order because of neglect",
    )
    entries = care_chronology(child, RecordsHeld.not_asked(child))
    iha = _starting(entries, "Initial health assessment")
    assert iha.what_happened == (
        "Initial health assessment. Immunisations not up to date. Health plan: Catch up on the "
        "MMR. Asthma reviewed."
    )
    assert iha.category == Category.HEALTH_EDUCATION
    assert not iha.significant
    rha = _starting(entries, "Review health assessment")
    assert rha.what_happened == (
        "Review health assessment. Immunisations up to date. Substance misuse identified. "
        "An intervention was received. Health plan: Referral to the young people's drug service."
    )
    assert rha.significant
    assert rha.why_it_matters == WHY_SUBSTANCE
    sdq = _starting(entries, "Strengths and difficulties")
    assert sdq.what_happened == "Strengths and difficulties questionnaire. Score: 18."
    pep = _starting(entries, "Personal education plan")
    assert pep.what_happened == (
        "Personal education plan meeting at Oak Primary School, rated requires improvement. "
        "Reading is behind; extra tutoring agreed. Ada's views: “I like art”"
    )
    assert pep.href.endswith("#education")
    missing = [e for e in entries if e.why_it_matters == WHY_MISSING]
    assert [m.what_happened for m in missing] == [
        "Ada went missing. Returned on 15 March 2025. A return interview was offered and "
        "accepted. Found at a friend's flat.",
        "Ada was away from placement. Returned on 1 April 2025. No return interview was offered.",
        "Ada went missing. Ada has not yet returned.",
    ]
    assert all(m.significant and m.category == Category.CARE for m in missing)
    picture = _starting(entries, "Pen picture")
    assert picture.what_happened == "Pen picture of Ada updated. Ada is funny and loves drawing."
    assert picture.recorded_by == str(worker)
    assert not picture.significant


def test_a_care_leaver_pathway_plan_and_keeping_in_touch(
    make_child: Callable[..., Person], worker: User
) -> None:
    cal = make_child("Cal", dob=D(2007, 9, 1))
    actions.start_period_of_care(
        acting_user=worker,
        child=cal,
        start_date=D(2023, 1, 9),
        legal_status="V2",
        placement=foster(),
    )
    actions.record_pathway_plan(
        acting_user=worker,
        child=cal,
        kind="plan",
        plan_date=D(2023, 11, 6),
        summary="college in September; learn to budget",
        young_person_views="I want my own flat",
        identity_needs="Keeps going to the Sikh youth group",
    )
    actions.end_period_of_care(
        acting_user=worker, child=cal, end_date=D(2025, 9, 1), reason_episode_ceased="E17"
    )
    actions.record_care_leaver_contact(
        acting_user=worker,
        child=cal,
        contact_date=D(2025, 9, 3),
        in_touch="YES",
        accommodation="Z",
        accommodation_suitable=True,
        activity="F2",
        staying_put=True,
        notes="doing well at college",
    )
    actions.record_care_leaver_contact(
        acting_user=worker,
        child=cal,
        contact_date=D(2025, 11, 3),
        in_touch="NO",
    )
    entries = care_chronology(cal, RecordsHeld.not_asked(cal))
    pathway = _starting(entries, "Pathway plan")
    assert pathway.what_happened == (
        "Pathway plan. College in September; learn to budget. Cal's views: “I want my own flat”"
    )
    assert pathway.href.endswith("#leaving-care")
    in_touch = _starting(entries, "Care leaver contact with Cal: in touch")
    assert in_touch.what_happened == (
        "Care leaver contact with Cal: in touch. Living: with their former foster carers, after "
        "turning 18, suitable. Activity: full-time at school or college. Staying put with "
        "former foster carers. Doing well at college."
    )
    assert not in_touch.significant
    lost = _starting(entries, "Care leaver contact with Cal: not")
    assert lost.what_happened == "Care leaver contact with Cal: not in touch."
    assert lost.significant
    assert lost.why_it_matters == WHY_OUT_OF_TOUCH


def test_the_provider_takes_eleven_queries_however_long_the_history(
    in_care: Episode,
    child: Person,
    worker: User,
    iro: User,
    django_assert_num_queries: Any,
) -> None:
    def add_history(start: datetime.date) -> None:
        for week in range(3):
            day = start + datetime.timedelta(weeks=week)
            actions.record_visit(
                acting_user=worker,
                child=child,
                visit_date=day,
                child_seen=True,
                seen_alone=False,
                note="Fine",
            )
            actions.record_health(
                acting_user=worker,
                child=child,
                kind=HealthRecord.Kind.DENTAL,
                event_date=day,
            )
            actions.record_pep(
                acting_user=worker,
                child=child,
                pep_date=day,
                school="Oak",
                virtual_school_contact="Val",
                quality=PersonalEducationPlan.Quality.GOOD,
                attainment="Good",
                child_views="Fine",
            )
            actions.record_care_plan(
                acting_user=worker,
                child=child,
                plan_date=day,
                permanence_plan=CarePlan.Permanence.RETURN_HOME,
                plan_summary="Home",
                placement_plan="Carers",
                child_views="Fine",
                identity_needs="Polish school on Saturdays",
            )
            actions.record_missing(
                acting_user=worker,
                child=child,
                missing_type="A",
                start_date=day,
                end_date=day,
                return_interview_offered=True,
                return_interview_accepted=False,
            )
            review = actions.record_review(
                acting_user=iro,
                child=child,
                review_date=day,
                participation="PN1",
                child_views="Fine",
            )
            actions.add_recommendation(
                acting_user=iro,
                review=review,
                what="Family time",
                who="Social worker",
                by_when=day,
                how_we_will_know="Record",
            )

    actions.save_pen_picture(
        acting_user=worker,
        child=child,
        read_version=None,
        who_they_are="Ada",
        what_matters="Family",
        story_so_far="In care",
        big_decisions="Care order",
    )
    add_history(D(2025, 2, 3))
    with django_assert_num_queries(11):
        short = care_chronology(child, RecordsHeld.not_asked(child))
    add_history(D(2025, 3, 3))
    actions.change_legal_status(
        acting_user=worker, child=child, change_date=D(2025, 4, 7), legal_status="C2"
    )
    with django_assert_num_queries(11):
        long = care_chronology(child, RecordsHeld.not_asked(child))
    assert len(long) > len(short) + 15
