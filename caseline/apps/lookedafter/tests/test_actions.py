"""Reviews, visits, health, education, missing, care leavers and the pen picture."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.lookedafter import actions, queries
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    Episode,
    HealthRecord,
    IROAllocation,
    LACReview,
    LACVisit,
    PathwayPlan,
    PersonalAdviser,
)
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person

D = datetime.date


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


REVIEW_DAY = D(2025, 1, 30)


def review(child: Person, user: User, day: D = REVIEW_DAY, **kw: Any) -> LACReview:
    kw.setdefault("participation", "PN1")
    kw.setdefault("child_views", "Ada said she likes her carers' dog.")
    return actions.record_review(acting_user=user, child=child, review_date=day, **kw)


def test_review_is_chaired_by_the_allocated_iro_and_audited(
    in_care: Episode, child: Person, iro: User
) -> None:
    r = review(child, iro)
    assert r.chair == iro
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.REVIEW_RECORDED)
    assert event.subject_person_id == child.pk


def test_a_review_before_the_episode_began_is_refused(
    in_care: Episode, child: Person, iro: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, D(2025, 1, 2))
    assert messages(excinfo)["review_date"] == [
        "The review date must be on or after the date Ada became looked after, 6 January 2025"
    ]
    assert not LACReview.objects.exists()


def test_a_review_outside_care_or_without_iro_is_refused(
    child: Person, worker: User, iro: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro)
    assert "never been looked after" in messages(excinfo)["review_date"][0]
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="V2", placement=foster()
    )
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro)
    assert "No IRO was allocated" in messages(excinfo)["review_date"][0]
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 3, 1), reason_episode_ceased="E4A"
    )
    actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, D(2025, 4, 1))
    assert messages(excinfo)["review_date"] == ["Ada was not looked after on that date"]


def test_review_participation_must_fit_the_childs_age(
    in_care: Episode, child: Person, iro: User, worker: User, make_child: Callable[..., Person]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, participation="PN0")
    assert messages(excinfo)["participation"] == [
        "PN0 is only for a child under 4: Ada was 12 (SSDA903 rule 440)"
    ]
    baby = make_child("Bo", D(2023, 6, 1))
    actions.start_period_of_care(
        acting_user=worker, child=baby, start_date=START, legal_status="C1", placement=foster()
    )
    actions.allocate_iro(acting_user=worker, child=baby, iro=iro, start_date=START)
    with pytest.raises(ValidationError) as excinfo:
        review(baby, iro, participation="PN1")
    assert "under 4 at the review: choose PN0" in messages(excinfo)["participation"][0]
    assert review(baby, iro, participation="PN0").participation == "PN0"
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, participation="PN9")
    assert messages(excinfo)["participation"] == [
        "Select a valid way the child took part for 30 January 2025"
    ]


def test_duplicate_review_dates_are_refused(in_care: Episode, child: Person, iro: User) -> None:
    review(child, iro)
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro)
    assert "already recorded" in messages(excinfo)["review_date"][0]


def test_iro_allocation_checks_the_role_and_hands_over(
    in_care: Episode, child: Person, iro: User, worker: User, make_user: Callable[..., User]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.allocate_iro(acting_user=worker, child=child, iro=worker, start_date=D(2025, 2, 1))
    assert messages(excinfo)["iro"] == ["Choose an independent reviewing officer"]
    from caseline.apps.accounts.permissions import Role

    second = make_user(Role.IRO, username="iro2")
    with pytest.raises(ValidationError):
        actions.allocate_iro(acting_user=worker, child=child, iro=second, start_date=D(2024, 2, 1))
    actions.allocate_iro(acting_user=worker, child=child, iro=second, start_date=D(2025, 3, 1))
    assert queries.iro_on(child, D(2025, 2, 28)).iro == iro  # type: ignore[union-attr]
    assert queries.iro_on(child, D(2025, 3, 1)).iro == second  # type: ignore[union-attr]
    assert IROAllocation.objects.filter(end_date__isnull=True).count() == 1
    assert review(child, iro, D(2025, 3, 5)).chair == second


def test_the_iro_allocation_ends_when_care_ends(
    in_care: Episode, child: Person, iro: User, worker: User
) -> None:
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 3, 1), reason_episode_ceased="E4A"
    )
    allocation = IROAllocation.objects.get(person=child)
    assert allocation.end_date == D(2025, 3, 1)
    assert queries.iro_on(child, D(2025, 2, 28)).iro == iro  # type: ignore[union-attr]
    assert queries.iro_on(child, D(2025, 3, 1)) is None
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.IRO_ALLOCATION_ENDED)
    assert (event.subject_person_id, event.acting_user) == (child.pk, worker)


def test_recommendations_are_smart_and_minutes_dated(
    in_care: Episode, child: Person, iro: User
) -> None:
    r = review(child, iro, iro_view_of_plan="The plan meets Ada's needs", minutes="We met.")
    actions.update_review(
        acting_user=iro,
        review=r,
        read_version=r.version,
        participation="PN1",
        identity_needs="Ada goes to Polish school on Saturdays.",
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.add_recommendation(
            acting_user=iro, review=r, what="", who="", by_when=D(2025, 1, 1), how_we_will_know=""
        )
    assert set(messages(excinfo)) == {"what", "who", "by_when", "how_we_will_know"}
    rec = actions.add_recommendation(
        acting_user=iro,
        review=r,
        what="Arrange contact with brother",
        who="Social worker",
        by_when=D(2025, 3, 1),
        how_we_will_know="Contact has happened twice",
    )
    assert rec.review == r
    for day in (D(2025, 1, 1), D(2099, 1, 1)):
        with pytest.raises(ValidationError):
            actions.complete_minutes(acting_user=iro, review=r, completed_on=day)
    actions.complete_minutes(acting_user=iro, review=r, completed_on=D(2025, 2, 10))
    r.refresh_from_db()
    assert r.minutes_completed_on == D(2025, 2, 10)


def test_visits_need_care_and_seen_before_alone(
    in_care: Episode, child: Person, worker: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=D(2025, 1, 1),
            child_seen=False,
            seen_alone=True,
            note="",
        )
    assert set(messages(excinfo)) == {"visit_date", "seen_alone", "note"}
    visit = actions.record_visit(
        acting_user=worker,
        child=child,
        visit_date=D(2025, 1, 10),
        child_seen=True,
        seen_alone=True,
        note="Ada showed me her room.",
    )
    assert visit.seen_alone


def _recorded(event_type: str) -> list[tuple[str, int | None, dict[str, Any]]]:
    """The events of a type, as the many and one-row forms must agree on them."""
    return [
        (e.target_repr, e.subject_person_id, e.new_values)
        for e in AuditEvent.objects.filter(event_type=event_type).order_by("chain_position")
    ]


def _halves(events: list[Any]) -> tuple[list[Any], list[Any]]:
    """The events the many form recorded, and those the one-row form recorded after them."""
    return events[: len(events) // 2], events[len(events) // 2 :]


def test_record_visits_records_and_audits_each_visit_as_record_visit_does(
    in_care: Episode, child: Person, worker: User
) -> None:
    seen = actions.VisitDetails(D(2025, 1, 10), child_seen=True, seen_alone=True, note="Room.")
    unseen = actions.VisitDetails(D(2025, 1, 20), child_seen=False, seen_alone=False, note="Out.")
    made = actions.record_visits(acting_user=worker, child=child, visits=[seen, unseen])
    assert [(v.visit_date, v.child_seen, v.seen_alone, v.note) for v in made] == [
        (D(2025, 1, 10), True, True, "Room."),
        (D(2025, 1, 20), False, False, "Out."),
    ]
    targets = AuditEvent.objects.filter(event_type=LookedAfterEvent.VISIT_RECORDED)
    assert sorted(int(e.target_id) for e in targets) == [v.pk for v in made]
    for details in (seen, unseen):
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=details.visit_date,
            child_seen=details.child_seen,
            seen_alone=details.seen_alone,
            note=details.note,
        )
    many, one_by_one = _halves(_recorded(LookedAfterEvent.VISIT_RECORDED))
    assert many == one_by_one


def test_record_visits_refuses_all_and_names_the_refused_visit(
    in_care: Episode, child: Person, worker: User
) -> None:
    good = actions.VisitDetails(D(2025, 1, 10), child_seen=True, seen_alone=True, note="Room.")
    before_care = actions.VisitDetails(D(2025, 1, 1), child_seen=True, seen_alone=False, note="x")
    with pytest.raises(actions.VisitRefused) as excinfo:
        actions.record_visits(acting_user=worker, child=child, visits=[good, before_care])
    assert excinfo.value.index == 1
    assert messages(excinfo) == {
        "visit_date": [
            "The visit date must be on or after the date Ada became looked after, 6 January 2025"
        ]
    }
    assert not LACVisit.objects.exists()


def test_record_health_records_records_and_audits_each_as_record_health_does(
    in_care: Episode, child: Person, worker: User
) -> None:
    events = [
        actions.HealthEvent(kind="sdq", event_date=D(2025, 2, 1), sdq_score=12),
        actions.HealthEvent(
            kind="substance-misuse", event_date=D(2025, 2, 2), intervention_received=True
        ),
        actions.HealthEvent(kind="dental", event_date=D(2025, 2, 3)),
    ]
    made = actions.record_health_records(acting_user=worker, child=child, events=events)
    assert [(r.kind, r.event_date, r.sdq_score, r.substance_misuse) for r in made] == [
        ("sdq", D(2025, 2, 1), 12, None),
        ("substance-misuse", D(2025, 2, 2), None, True),
        ("dental", D(2025, 2, 3), None, None),
    ]
    for event in events:
        actions.record_health(acting_user=worker, child=child, **asdict(event))
    many, one_by_one = _halves(_recorded(LookedAfterEvent.HEALTH_RECORDED))
    assert many == one_by_one


def test_record_health_records_refuses_all_and_names_the_refused_record(
    in_care: Episode, child: Person, worker: User
) -> None:
    good = actions.HealthEvent(kind="dental", event_date=D(2025, 2, 3))
    too_high = actions.HealthEvent(kind="sdq", event_date=D(2025, 2, 1), sdq_score=41)
    with pytest.raises(actions.HealthRefused) as excinfo:
        actions.record_health_records(acting_user=worker, child=child, events=[good, too_high])
    assert excinfo.value.index == 1
    assert messages(excinfo) == {
        "sdq_score": ["The SDQ score must be between 0 and 40 (SSDA903 rule 180)"]
    }
    assert not HealthRecord.objects.exists()


def test_health_records_check_their_kind(in_care: Episode, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.record_health(
            acting_user=worker, child=child, kind="sdq", event_date=D(2025, 2, 1), sdq_score=41
        )
    assert messages(excinfo)["sdq_score"] == [
        "The SDQ score must be between 0 and 40 (SSDA903 rule 180)"
    ]
    with pytest.raises(ValidationError) as excinfo:
        actions.record_health(acting_user=worker, child=child, kind="sdq", event_date=D(2025, 2, 1))
    assert messages(excinfo)["sdq_score"] == ["Enter the SDQ score, or select why there is none"]
    with pytest.raises(ValidationError) as excinfo:
        actions.record_health(
            acting_user=worker, child=child, kind="iha", event_date=D(2025, 2, 1), sdq_score=3
        )
    assert set(messages(excinfo)) == {"sdq_score", "health_plan"}
    with pytest.raises(ValidationError) as excinfo:
        actions.record_health(
            acting_user=worker, child=child, kind="immunisations", event_date=D(2025, 2, 1)
        )
    assert "immunisations_up_to_date" in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        actions.record_health(
            acting_user=worker, child=child, kind="nope", event_date=D(2025, 2, 1)
        )
    assert "kind" in messages(excinfo)
    record = actions.record_health(
        acting_user=worker,
        child=child,
        kind="iha",
        event_date=D(2025, 1, 20),
        health_plan="Eye test; dentist registration.",
        substance_misuse=False,
    )
    assert record.kind == HealthRecord.Kind.INITIAL_ASSESSMENT
    actions.record_health(
        acting_user=worker, child=child, kind="sdq", event_date=D(2025, 2, 1), sdq_score=14
    )


def test_pep_and_missing_episodes(in_care: Episode, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.record_pep(
            acting_user=worker,
            child=child,
            pep_date=D(2025, 1, 20),
            school="",
            virtual_school_contact="",
            quality="bad",
            attainment="",
            child_views="",
        )
    assert set(messages(excinfo)) == {
        "school",
        "virtual_school_contact",
        "quality",
        "attainment",
        "child_views",
    }
    pep = actions.record_pep(
        acting_user=worker,
        child=child,
        pep_date=D(2025, 1, 20),
        school="Oak Primary (synthetic)",
        virtual_school_contact="Virtual school officer",
        quality="good",
        attainment="Working at expected level in reading.",
        child_views="Likes maths.",
    )
    assert pep.quality == "good"
    with pytest.raises(ValidationError) as excinfo:
        actions.record_missing(
            acting_user=worker,
            child=child,
            missing_type="X",
            start_date=D(2024, 12, 1),
            end_date=D(2024, 11, 1),
            return_interview_offered=False,
            return_interview_accepted=True,
        )
    assert set(messages(excinfo)) == {
        "missing_type",
        "start_date",
        "end_date",
        "return_interview_accepted",
    }
    with pytest.raises(ValidationError) as excinfo:
        actions.record_missing(
            acting_user=worker,
            child=child,
            missing_type="M",
            start_date=D(2025, 2, 1),
            end_date=D(2099, 1, 1),
            return_interview_offered=None,
            return_interview_accepted=None,
        )
    assert "today or in the past" in messages(excinfo)["end_date"][0]
    missing = actions.record_missing(
        acting_user=worker,
        child=child,
        missing_type="M",
        start_date=D(2025, 2, 1),
        end_date=D(2025, 2, 2),
        return_interview_offered=True,
        return_interview_accepted=False,
    )
    assert missing.return_interview_offered


def test_care_leaver_records(
    child: Person, worker: User, make_child: Callable[..., Person]
) -> None:
    young = make_child("Cal", D(2007, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        actions.record_pathway_plan(
            acting_user=worker,
            child=child,
            kind="plan",
            plan_date=D(2025, 1, 1),
            summary="",
            young_person_views="",
        )
    assert set(messages(excinfo)) == {
        "plan_date",
        "summary",
        "young_person_views",
        "identity_needs",
    }
    plan = actions.record_pathway_plan(
        acting_user=worker,
        child=young,
        kind="plan",
        plan_date=D(2023, 4, 1),
        summary="Plan for college and a flat.",
        young_person_views="Wants to study cooking.",
        identity_needs=" Cal wants to keep going to the Sikh youth group. ",
    )
    assert plan.kind == PathwayPlan.Kind.PLAN
    assert plan.identity_needs == "Cal wants to keep going to the Sikh youth group."
    # A needs assessment finds what the plan will meet: it may leave identity needs blank.
    assessment = actions.record_pathway_plan(
        acting_user=worker,
        child=young,
        kind="needs-assessment",
        plan_date=D(2023, 3, 1),
        summary="Needs help with money.",
        young_person_views="Wants to live near his sister.",
    )
    assert assessment.identity_needs == ""
    with pytest.raises(ValidationError) as excinfo:
        actions.record_pathway_plan(
            acting_user=worker,
            child=young,
            kind="x",
            plan_date=D(2023, 4, 1),
            summary="s",
            young_person_views="v",
        )
    assert "kind" in messages(excinfo)

    with pytest.raises(ValidationError) as excinfo:
        actions.allocate_personal_adviser(
            acting_user=worker, child=young, name="", start_date=D(2025, 1, 1)
        )
    assert "name" in messages(excinfo)
    actions.allocate_personal_adviser(
        acting_user=worker, child=young, name="Adviser One", start_date=D(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        actions.allocate_personal_adviser(
            acting_user=worker, child=young, name="Adviser Two", start_date=D(2024, 1, 1)
        )
    actions.allocate_personal_adviser(
        acting_user=worker, child=young, name="Adviser Two", start_date=D(2025, 6, 1)
    )
    assert list(
        PersonalAdviser.objects.filter(end_date__isnull=True).values_list("name", flat=True)
    ) == ["Adviser Two"]

    with pytest.raises(ValidationError) as excinfo:
        actions.record_care_leaver_contact(
            acting_user=worker, child=young, contact_date=D(2025, 3, 1), in_touch="YES"
        )
    assert set(messages(excinfo)) == {"accommodation", "activity", "accommodation_suitable"}
    with pytest.raises(ValidationError) as excinfo:
        actions.record_care_leaver_contact(
            acting_user=worker,
            child=young,
            contact_date=D(2025, 3, 1),
            in_touch="YES",
            accommodation="U",
            accommodation_suitable=True,
            activity="F3",
        )
    # F3 was retired before 2024-25, the collection year of 1 March 2025.
    assert messages(excinfo)["activity"] == ["Select a valid main activity for 1 March 2025"]
    with pytest.raises(ValidationError) as excinfo:
        actions.record_care_leaver_contact(
            acting_user=worker,
            child=child,
            contact_date=D(2025, 3, 1),
            in_touch="NO",
            staying_put=True,
        )
    assert set(messages(excinfo)) == {"contact_date", "staying_put"}
    contact = actions.record_care_leaver_contact(
        acting_user=worker,
        child=young,
        contact_date=D(2025, 3, 1),
        in_touch="YES",
        accommodation="Z",
        accommodation_suitable=True,
        activity="F2",
        staying_put=True,
    )
    assert contact.accom_code == "Z1"
    no = actions.record_care_leaver_contact(
        acting_user=worker,
        child=young,
        contact_date=D(2025, 3, 2),
        in_touch="NO",
        accommodation="U",
    )
    assert (no.accommodation, no.accom_code) == ("", "")


def test_care_plan(in_care: Episode, child: Person, worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.record_care_plan(
            acting_user=worker,
            child=child,
            plan_date=D(2024, 1, 1),
            permanence_plan="x",
            plan_summary="",
            placement_plan="",
            child_views="",
            identity_needs=" ",
        )
    assert set(messages(excinfo)) == {
        "plan_date",
        "permanence_plan",
        "plan_summary",
        "placement_plan",
        "child_views",
        "identity_needs",
    }
    assert messages(excinfo)["identity_needs"] == [
        "Enter how the plan meets the child's identity needs"
    ]
    plan = actions.record_care_plan(
        acting_user=worker,
        child=child,
        plan_date=D(2025, 1, 10),
        permanence_plan="long-term-fostering",
        plan_summary="Stay with carers.",
        placement_plan="Carers take Ada to school.",
        child_views="Ada wants to stay.",
        identity_needs="Carers of Polish heritage; Polish school on Saturdays.",
    )
    assert plan.get_permanence_plan_display() == "Long-term fostering"
    assert plan.identity_needs == "Carers of Polish heritage; Polish school on Saturdays."


def test_pen_picture_is_versioned(child: Person, worker: User) -> None:
    values = {
        "who_they_are": "Ada is funny and loves drawing.",
        "what_matters": "Her brother and her cat.",
        "story_so_far": "Lived with Mum until 2025.",
        "big_decisions": "Came into care because home was not safe.",
    }
    with pytest.raises(ValidationError) as excinfo:
        actions.save_pen_picture(
            acting_user=worker, child=child, read_version=None, **dict.fromkeys(values, "")
        )
    assert set(messages(excinfo)) == set(values)
    picture = actions.save_pen_picture(acting_user=worker, child=child, read_version=None, **values)
    assert picture.version == 1
    changed = actions.save_pen_picture(
        acting_user=worker,
        child=child,
        read_version=1,
        **{**values, "what_matters": "Football now."},
    )
    assert changed.version == 2
    event = AuditEvent.objects.filter(event_type=LookedAfterEvent.PEN_PICTURE_SAVED).latest("id")
    assert event.new_values == {"what_matters": "Football now."}
    with pytest.raises(EditConflict):
        actions.save_pen_picture(acting_user=worker, child=child, read_version=1, **values)


def test_every_entered_date_must_be_plausible(
    in_care: Episode, child: Person, worker: User, iro: User
) -> None:
    """Dates before 1900, before the child's birth or far ahead are refused everywhere, also
    where they were not checked before (approval, arrival, "by when")."""
    with pytest.raises(ValidationError) as excinfo:
        actions.change_placement(
            acting_user=worker,
            child=child,
            change_date=D(2025, 3, 3),
            placement=foster(
                placement_type="P1",
                placement_provider="PR0",
                parent_placement_approver="Head of service (synthetic)",
                parent_placement_approved_on=D(1899, 12, 31),
                parent_placement_rationale="r",
            ),
            same_carer=False,
            reason_place_change="CARPL",
        )
    assert messages(excinfo) == {
        "parent_placement_approved_on": ["The approval date must be in 1900 or later"]
    }
    child.is_uasc = True
    child.save(update_fields=["is_uasc"])
    with pytest.raises(ValidationError) as excinfo:
        actions.save_uasc_details(
            acting_user=worker,
            child=child,
            read_version=None,
            arrived_on=D(2012, 4, 30),
            national_transfer_scheme=False,
            age_assessment_on=None,
            age_assessment_outcome="",
            ceased_on=None,
        )
    assert messages(excinfo) == {
        "arrived_on": [
            "The date the child arrived must be on or after Ada's date of birth (1 May 2012)"
        ]
    }
    r = review(child, iro)
    with pytest.raises(ValidationError) as excinfo:
        actions.add_recommendation(
            acting_user=iro,
            review=r,
            what="w",
            who="x",
            by_when=D(2099, 1, 1),
            how_we_will_know="y",
        )
    assert messages(excinfo) == {
        "by_when": ["The date it must be done by must be within 5 years from today"]
    }
