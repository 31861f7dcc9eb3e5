"""The care record page and its forms, through the Django test client."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
    MissingEpisode,
    PathwayPlan,
    PenPicture,
    PersonalAdviser,
    PersonalEducationPlan,
    PlacementProvider,
    ReviewRecommendation,
)
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person
from caseline.apps.privatefostering.events import PrivateFosteringEvent
from caseline.apps.privatefostering.models import ParticipationRecord

D = datetime.date


def url(name: str, child: Person, **kw: Any) -> str:
    return reverse(f"lookedafter:{name}", kwargs={"person_id": child.pk, **kw})


def date(prefix: str, day: D) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


@pytest.fixture
def as_worker(client: Client, worker: User) -> Client:
    client.force_login(worker)
    return client


@pytest.fixture
def as_iro(iro: User) -> Client:
    c = Client()
    c.force_login(iro)
    return c


PLACEMENT = {
    "placement_type": "U6",
    "placement_provider": "PR1",
    "carer_name": "Carer household Alpha",
    "placement_postcode": "AB1 2CD",
    "distance_from_home": "3.5",
    "area": "IN",
    "arrangement": "standard",
    "intended_until_18": "no",
}


def test_record_page_for_a_child_not_in_care(as_worker: Client, child: Person) -> None:
    response = as_worker.get(url("record", child))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ada is not looked after now." in body
    assert url("start", child) in body
    event = AuditEvent.objects.filter(event_type="record.viewed").latest("id")
    assert event.extra == {"section": "care"}


def test_start_care_then_see_it_on_the_record(
    as_worker: Client, child: Person, fostering_service: PlacementProvider
) -> None:
    response = as_worker.post(
        url("start", child),
        {
            **date("start_date", START),
            "legal_status": "C1",
            **PLACEMENT,
            "provider": fostering_service.pk,
        },
    )
    assert response.status_code == 302
    episode = Episode.objects.get(person=child)
    assert (episode.legal_status, episode.reason_new_episode) == ("C1", "S")
    # From the register: the provider code and URN; the postcode is the carers' home.
    assert (episode.provider, episode.placement_provider, episode.ofsted_urn) == (
        fostering_service,
        "PR1",
        "SC100002",
    )
    assert episode.placement_postcode == "AB1 2CD"
    body = as_worker.get(url("record", child)).content.decode()
    assert "C1 - Interim care order" in body
    assert "Carer household Alpha" in body
    assert "Looked-after review" in body  # due, from the timescale rules
    assert "3 February 2025" in body  # first review: 20 working days after 6 January 2025
    assert "Overdue by" in body


def test_bad_start_is_refused_with_400_keeping_input(as_worker: Client, child: Person) -> None:
    response = as_worker.post(
        url("start", child),
        {
            **date("start_date", D(2025, 5, 1)),
            "legal_status": "C1",
            **PLACEMENT,
            "placement_type": "H5",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Select a valid placement type for 1 May 2025" in body
    assert 'value="Carer household Alpha"' in body
    assert not Episode.objects.exists()
    response = as_worker.post(url("start", child), {})
    assert response.status_code == 400
    assert "Enter the date the child became looked after" in response.content.decode()


def test_workers_change_placement_legal_status_and_end_care(
    as_worker: Client, child: Person, in_care: Episode, childrens_home: PlacementProvider
) -> None:
    response = as_worker.post(
        url("placement", child),
        {
            **date("change_date", D(2025, 3, 3)),
            "same_carer": "no",
            "reason_place_change": "CARPL",
            "legal_status": "",
            **PLACEMENT,
            "placement_type": "K2",
            "provider": childrens_home.pk,
            "area": "OUT",
        },
    )
    assert response.status_code == 302, response.content.decode()
    home = Episode.objects.get(end_date__isnull=True)
    # A children's home: the postcode typed is the last placement's, the register's is used.
    assert (home.placement_provider, home.placement_postcode) == ("PR4", "CD3 4EF")
    response = as_worker.post(
        url("legal-status", child), {**date("change_date", D(2025, 4, 1)), "legal_status": "C2"}
    )
    assert response.status_code == 302
    assert list(Episode.objects.values_list("reason_new_episode", flat=True)) == ["S", "P", "L"]
    response = as_worker.post(
        url("legal-status", child), {**date("change_date", D(2025, 1, 1)), "legal_status": "C1"}
    )
    assert response.status_code == 400
    body = as_worker.get(url("record", child)).content.decode()
    assert "Larch House (Ofsted URN SC123456)" in body
    assert "2 placements in this period of care" in body
    response = as_worker.post(
        url("end", child), {**date("end_date", D(2025, 6, 1)), "reason_episode_ceased": "E4A"}
    )
    assert response.status_code == 302
    assert Episode.objects.filter(end_date__isnull=True).count() == 0


def test_worker_allocates_the_iro_who_holds_review_adds_recommendation_and_minutes(
    as_iro: Client, as_worker: Client, child: Person, iro: User, worker: User
) -> None:
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C1", placement=foster()
    )
    # Allocating the IRO is part of the care record (CARE_RECORD), which an IRO does not hold.
    assert as_iro.get(url("iro", child)).status_code == 403
    response = as_worker.post(url("iro", child), {"iro": iro.pk, **date("start_date", START)})
    assert response.status_code == 302
    actions.record_care_plan(
        acting_user=worker,
        child=child,
        plan_date=D(2025, 1, 10),
        permanence_plan="return-home",
        plan_summary="Home by the summer",
        placement_plan="Carers support contact",
        child_views="Wants to go home",
        identity_needs="Polish school on Saturdays",
    )
    # The review's identity needs start from what the care plan says, beside what is known.
    form = as_iro.get(url("review-new", child)).content.decode()
    assert "Polish school on Saturdays</textarea>" in form
    assert "What we know about Ada's identity" in form
    review_data = {
        **date("review_date", D(2025, 1, 30)),
        "participation": "PN1",
        "child_views": "Ada spoke for herself.",
        "iro_view_of_plan": "The plan meets Ada's needs.",
        "identity_needs": "Polish school on Saturdays, and video calls with Gran in Polish",
        "minutes": "We met at the carers' home.",
        "told_about": ["cicc", "complaints"],
    }
    assert "Was the child told about any of these at the review?" in form
    assert as_worker.post(url("review-new", child), review_data).status_code == 403
    response = as_iro.post(url("review-new", child), review_data)
    review = LACReview.objects.get()
    # What Ada was told about having a say, she was told on the day of the review.
    told = ParticipationRecord.objects.filter(person=child).order_by("subject")
    assert [(r.subject, r.on, r.note) for r in told] == [
        ("cicc", D(2025, 1, 30), "At a looked-after review"),
        ("complaints", D(2025, 1, 30), "At a looked-after review"),
    ]
    assert (
        AuditEvent.objects.filter(event_type=PrivateFosteringEvent.PARTICIPATION_RECORDED).count()
        == 2
    )
    edit = as_iro.get(url("review-edit", child, review_id=review.pk)).content.decode()
    assert "told about any of these" not in edit
    # What the review agreed, the care plan now says, and the audit says the review changed it.
    plan = CarePlan.objects.get()
    assert plan.identity_needs == review_data["identity_needs"] == review.identity_needs
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.CARE_PLAN_UPDATED)
    assert (event.new_values, event.extra) == (
        {"identity_needs": review_data["identity_needs"]},
        {"from_review": review.pk},
    )
    assert response.url == url("recommendation-new", child, review_id=review.pk)  # type: ignore[attr-defined]
    page = as_iro.get(response.url)  # type: ignore[attr-defined]
    assert "From the review on 30 January 2025" in page.content.decode()
    response = as_iro.post(
        url("recommendation-new", child, review_id=review.pk),
        {
            "what": "Arrange sibling contact",
            "who": "Social worker",
            **date("by_when", D(2025, 3, 1)),
            "how_we_will_know": "Two contacts have happened",
        },
    )
    assert response.status_code == 302
    assert ReviewRecommendation.objects.count() == 1
    response = as_iro.post(
        url("minutes", child, review_id=review.pk), date("completed_on", D(2025, 2, 5))
    )
    assert response.status_code == 302
    body = as_iro.get(url("record", child)).content.decode()
    assert "Arrange sibling contact" in body
    assert "Completed on time" in body
    plan_rows = body.split('id="care-plan"')[1].split("</dl>")[0]
    assert "How the plan meets Ada's identity needs" in plan_rows
    assert "video calls with Gran in Polish" in plan_rows
    assert as_iro.get(url("minutes", child, review_id=999)).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        (
            "visit-new",
            {
                **date("visit_date", D(2025, 1, 10)),
                "child_seen": "yes",
                "seen_alone": "yes",
                "note": "Ada showed me her room.",
            },
            LACVisit,
        ),
        (
            "health-new",
            {
                **date("event_date", D(2025, 1, 20)),
                "kind": "iha",
                "health_plan": "Dentist.",
                "substance_misuse": "no",
            },
            HealthRecord,
        ),
        (
            "pep-new",
            {
                **date("pep_date", D(2025, 1, 20)),
                "school": "Oak Primary",
                "quality": "good",
                "virtual_school_contact": "VS officer",
                "attainment": "On track",
                "child_views": "Likes art",
            },
            PersonalEducationPlan,
        ),
        (
            "missing-new",
            {
                **date("start_date", D(2025, 2, 1)),
                **date("end_date", D(2025, 2, 2)),
                "missing_type": "M",
                "return_interview_offered": "yes",
                "return_interview_accepted": "no",
            },
            MissingEpisode,
        ),
        (
            "care-plan",
            {
                **date("plan_date", D(2025, 1, 10)),
                "permanence_plan": "return-home",
                "plan_summary": "Home by summer",
                "placement_plan": "Carers support contact",
                "child_views": "Wants to go home",
                "identity_needs": "Polish school on Saturdays",
            },
            CarePlan,
        ),
    ],
)
def test_worker_records_care_forms(
    as_worker: Client, child: Person, in_care: Episode, name: str, data: dict[str, str], model: Any
) -> None:
    assert as_worker.get(url(name, child)).status_code == 200
    response = as_worker.post(url(name, child), data)
    assert response.status_code == 302, response.content.decode()
    assert model.objects.filter(person=child).count() == 1
    assert as_worker.get(url("record", child)).status_code == 200
    response = as_worker.post(url(name, child), {})
    assert response.status_code == 400


def test_care_leaver_forms_and_badge(
    as_worker: Client, make_child: Callable[..., Person], worker: User
) -> None:
    young = make_child("Cal", D(2007, 3, 1))
    actions.start_period_of_care(
        acting_user=worker,
        child=young,
        start_date=D(2022, 1, 10),
        legal_status="C2",
        placement=foster(),
    )
    actions.end_period_of_care(
        acting_user=worker, child=young, end_date=D(2025, 3, 1), reason_episode_ceased="E17"
    )
    for name, data in [
        ("adviser", {"name": "Adviser One", **date("start_date", D(2025, 3, 1))}),
        (
            "pathway-new",
            {
                "kind": "plan",
                **date("plan_date", D(2025, 2, 1)),
                "summary": "College",
                "young_person_views": "Keen",
                "identity_needs": "Keeps going to the Sikh youth group",
            },
        ),
        (
            "contact-new",
            {
                **date("contact_date", D(2025, 3, 2)),
                "in_touch": "YES",
                "accommodation": "Z",
                "accommodation_suitable": "yes",
                "activity": "F2",
                "staying_put": "on",
            },
        ),
    ]:
        response = as_worker.post(url(name, young), data)
        assert response.status_code == 302, response.content.decode()
    assert PersonalAdviser.objects.get().name == "Adviser One"
    assert PathwayPlan.objects.count() == 1
    assert CareLeaverContact.objects.get().accom_code == "Z1"
    body = as_worker.get(url("record", young)).content.decode()
    assert "Former relevant child (18 to 25)" in body
    assert "Care leaver" in body
    assert "Z1" in body
    assert "Pathway plan review" in body
    assert "How the plan meets Cal's identity needs: Keeps going to the Sikh youth group" in body
    # A pathway plan without it is refused on the page, with the rule's message.
    response = as_worker.post(
        url("pathway-new", young),
        {
            "kind": "review",
            **date("plan_date", D(2025, 3, 3)),
            "summary": "College",
            "young_person_views": "Keen",
        },
    )
    assert response.status_code == 400
    assert "Enter how the plan meets the child&#x27;s identity needs" in response.content.decode()


def test_pen_picture_create_edit_and_conflict(
    as_worker: Client, child: Person, worker: User
) -> None:
    data = {
        "who_they_are": "Funny, loves drawing",
        "what_matters": "Her brother",
        "story_so_far": "Lived with Mum",
        "big_decisions": "Came into care to be safe",
    }
    assert as_worker.post(url("pen-picture", child), data).status_code == 302
    page = as_worker.get(url("pen-picture", child)).content.decode()
    assert 'name="version" value="1"' in page
    assert as_worker.post(url("pen-picture", child), {**data, "version": "1"}).status_code == 302
    response = as_worker.post(url("pen-picture", child), {**data, "version": "1"})
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    assert PenPicture.objects.get().version == 2
    assert "Funny, loves drawing" in as_worker.get(url("record", child)).content.decode()


def test_reading_is_allowed_but_writing_needs_plan_record(
    make_user: Callable[..., User], child: Person, in_care: Episode
) -> None:
    analyst = make_user(Role.ANALYST)
    c = Client()
    c.force_login(analyst)
    assert c.get(url("record", child)).status_code == 200
    assert c.get(url("visit-new", child)).status_code == 403


def test_record_page_query_count_does_not_grow_with_history(
    as_worker: Client, child: Person, in_care: Episode, iro: User, worker: User
) -> None:
    def add_review(day: D) -> None:
        review = actions.record_review(
            acting_user=iro, child=child, review_date=day, participation="PN1", child_views="x"
        )
        actions.add_recommendation(
            acting_user=iro, review=review, what="w", who="x", by_when=day, how_we_will_know="y"
        )
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=day,
            child_seen=True,
            seen_alone=True,
            note="n",
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_worker.get(url("record", child)).status_code == 200
        return len(queries)

    add_review(D(2025, 1, 30))
    count()  # warm the content-type cache the read audit uses
    few = count()
    for day in (D(2025, 4, 20), D(2025, 9, 1), D(2026, 2, 2)):
        add_review(day)
    assert count() == few
    assert few <= 32


def test_placement_form_starts_from_the_current_placement(
    as_worker: Client, child: Person, in_care: Episode
) -> None:
    body = as_worker.get(url("placement", child)).content.decode()
    assert 'value="Carer household Alpha"' in body
    assert 'value="AB1 2CD"' in body


def test_return_from_missing_is_recorded_later(
    as_worker: Client, child: Person, in_care: Episode, worker: User
) -> None:
    missing = actions.record_missing(
        acting_user=worker,
        child=child,
        missing_type="A",
        start_date=D(2025, 2, 1),
        end_date=None,
        return_interview_offered=None,
        return_interview_accepted=None,
    )
    assert "Still missing" in as_worker.get(url("record", child)).content.decode()
    target = url("missing-return", child, missing_id=missing.pk)
    assert "began on 1 February 2025" in as_worker.get(target).content.decode()
    bad = {**date("end_date", D(2025, 1, 1)), "return_interview_accepted": "yes"}
    response = as_worker.post(target, bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "on or after the date the episode began, 1 February 2025" in body
    assert "can only be accepted if it was offered" in body
    good = {
        **date("end_date", D(2025, 2, 3)),
        "return_interview_offered": "yes",
        "return_interview_accepted": "yes",
    }
    assert as_worker.post(target, good).status_code == 302
    missing.refresh_from_db()
    assert (missing.end_date, missing.return_interview_accepted) == (D(2025, 2, 3), True)
    event = AuditEvent.objects.filter(event_type="lookedafter.missing-return-recorded").get()
    assert event.new_values["end_date"] == "2025-02-03"
    assert as_worker.get(url("missing-return", child, missing_id=999)).status_code == 404
    with pytest.raises(ValidationError):
        actions.record_missing_return(
            acting_user=worker,
            missing=missing,
            end_date=D(2099, 1, 1),
            return_interview_offered=True,
            return_interview_accepted=None,
        )


def test_uasc_details(as_worker: Client, child: Person, in_care: Episode, worker: User) -> None:
    data = {
        **date("arrived_on", D(2024, 11, 1)),
        "national_transfer_scheme": "on",
        **date("age_assessment_on", D(2024, 12, 1)),
        "age_assessment_outcome": "Age accepted as stated",
    }
    response = as_worker.post(url("uasc", child), data)
    assert response.status_code == 400
    assert "is not recorded as an unaccompanied asylum-seeking child" in response.content.decode()
    assert "Unaccompanied asylum-seeking child</h2>" not in (
        as_worker.get(url("record", child)).content.decode()
    )
    child.is_uasc = True
    child.save(update_fields=["is_uasc"])
    assert as_worker.post(url("uasc", child), data).status_code == 302
    body = as_worker.get(url("record", child)).content.decode()
    assert "Transferred under the scheme" in body
    assert "1 December 2024: Age accepted as stated" in body
    page = as_worker.get(url("uasc", child)).content.decode()
    assert 'name="version" value="1"' in page
    later = {**data, **date("ceased_on", D(2024, 10, 1)), "version": "1"}
    response = as_worker.post(url("uasc", child), later)
    assert response.status_code == 400
    assert "on or after the date of arrival" in response.content.decode()
    later.update(date("ceased_on", D(2030, 5, 1)))
    assert "today or in the past" in as_worker.post(url("uasc", child), later).content.decode()
    later.update(date("ceased_on", D(2025, 5, 1)))
    assert as_worker.post(url("uasc", child), later).status_code == 302
    assert as_worker.post(url("uasc", child), later).status_code == 400  # stale version
    event = AuditEvent.objects.filter(event_type="lookedafter.uasc-details-saved").latest("id")
    assert event.new_values == {"ceased_on": "2025-05-01"}
    with pytest.raises(ValidationError) as excinfo:
        actions.save_uasc_details(
            acting_user=worker,
            child=child,
            read_version=2,
            arrived_on=D(2024, 11, 1),
            national_transfer_scheme=False,
            age_assessment_on=D(2024, 10, 1),
            age_assessment_outcome="",
            ceased_on=None,
        )
    assert set(excinfo.value.message_dict) == {"age_assessment_on", "age_assessment_outcome"}


def test_earlier_care_plans_are_kept(
    as_worker: Client, child: Person, in_care: Episode, worker: User
) -> None:
    for day, permanence in ((D(2025, 1, 10), "return-home"), (D(2025, 6, 2), "adoption")):
        actions.record_care_plan(
            acting_user=worker,
            child=child,
            plan_date=day,
            permanence_plan=permanence,
            plan_summary=f"Plan of {day}",
            placement_plan="p",
            child_views="v",
            identity_needs="Polish school on Saturdays",
        )
    body = as_worker.get(url("record", child)).content.decode()
    assert "Adoption (care plan of 2 June 2025)" in body
    assert "10 January 2025: Return home." in body


def test_review_timeliness_has_one_colour_a_state(
    as_worker: Client, child: Person, in_care: Episode, iro: User
) -> None:
    """Done late is yellow (it was orange, like due today, before one colour a state)."""
    actions.record_review(
        acting_user=iro,
        child=child,
        review_date=D(2025, 2, 10),  # due by 3 February 2025
        participation="PN1",
        child_views="x",
    )
    body = as_worker.get(url("record", child)).content.decode()
    assert '<strong class="govuk-tag govuk-tag--yellow">Completed 5 working days late' in body
    assert "govuk-tag--orange" not in body
    assert '<strong class="govuk-tag govuk-tag--red">Overdue' in body  # the next review


def test_forms_say_what_they_change(
    as_worker: Client, as_iro: Client, child: Person, in_care: Episode, worker: User, iro: User
) -> None:
    """Each form shows what stands now, so the worker knows what they are changing."""
    assert "The legal status now is C1 - Interim care order, since 6 January 2025." in (
        as_worker.get(url("legal-status", child)).content.decode()
    )
    assert "Ada has been looked after since 6 January 2025." in (
        as_worker.get(url("end", child)).content.decode()
    )
    assert "The IRO now is Indra Reviewer, since 6 January 2025." in (
        as_worker.get(url("iro", child)).content.decode()
    )
    assert "change what has changed" in as_worker.get(url("placement", child)).content.decode()
    assert (
        "starts from the care plan" not in as_worker.get(url("care-plan", child)).content.decode()
    )
    actions.record_care_plan(
        acting_user=worker,
        child=child,
        plan_date=D(2025, 1, 10),
        permanence_plan="return-home",
        plan_summary="Home by the summer",
        placement_plan="Carers support contact",
        child_views="Wants to go home",
        identity_needs="Polish school on Saturdays",
    )
    page = as_worker.get(url("care-plan", child)).content.decode()
    assert "The form starts from the care plan of 10 January 2025" in page
    assert "Home by the summer</textarea>" in page
    assert "Polish school on Saturdays</textarea>" in page
    assert re.search(r'value="return-home"\s+checked', page)
    review = actions.record_review(
        acting_user=iro, child=child, review_date=D(2025, 1, 30), participation="PN1"
    )
    response = as_iro.post(
        url("recommendation-new", child, review_id=review.pk),
        {
            "what": "Arrange sibling contact",
            "who": "Social worker",
            **date("by_when", D(2025, 3, 1)),
            "how_we_will_know": "Two contacts have happened",
        },
    )
    # Back to the review, to add the next one.
    assert response.url == url("review", child, review_id=review.pk)  # type: ignore[attr-defined]
    page = as_iro.get(url("recommendation-new", child, review_id=review.pk)).content.decode()
    assert f'href="{url("review", child, review_id=review.pk)}">Cancel' in page


def test_a_return_already_recorded_is_changed_not_recorded_again(
    as_worker: Client, child: Person, in_care: Episode, worker: User
) -> None:
    for start, end in ((D(2025, 2, 1), D(2025, 2, 2)), (D(2025, 3, 1), None)):
        actions.record_missing(
            acting_user=worker,
            child=child,
            missing_type="M",
            start_date=start,
            end_date=end,
            return_interview_offered=None,
            return_interview_accepted=None,
        )
    body = as_worker.get(url("record", child)).content.decode()
    hidden = '<span class="govuk-visually-hidden"> from the episode that began'
    assert f"Change the return{hidden} 1 February 2025" in body
    assert f"Record the return{hidden} 1 March 2025" in body


def test_a_visit_records_what_the_child_was_told_about_having_a_say(
    as_worker: Client, child: Person, worker: User
) -> None:
    actions.start_period_of_care(
        acting_user=worker, child=child, start_date=START, legal_status="C1", placement=foster()
    )
    data = {
        **date("visit_date", D(2025, 1, 10)),
        "child_seen": "yes",
        "seen_alone": "yes",
        "note": "Ada showed me her room.",
        "told_about": ["advocacy", "visitor"],
    }
    assert (
        "told about any of these at the visit"
        in as_worker.get(url("visit-new", child)).content.decode()
    )
    assert (
        as_worker.post(url("visit-new", child), {**data, "told_about": ["nonsense"]}).status_code
        == 400  # refused, with the form shown again
    )
    assert not LACVisit.objects.exists()
    assert as_worker.post(url("visit-new", child), data).status_code == 302
    assert LACVisit.objects.count() == 1
    told = ParticipationRecord.objects.filter(person=child).order_by("subject")
    assert [(r.subject, r.on, r.note) for r in told] == [
        ("advocacy", D(2025, 1, 10), "At a statutory visit"),
        ("visitor", D(2025, 1, 10), "At a statutory visit"),
    ]
