"""What a looked-after review records: who was there, the views, the IRO's view, progress on
earlier recommendations and the minutes; completing it; and the IRO asking for an earlier
review."""

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
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.lookedafter import actions, queries
from caseline.apps.lookedafter.actions import Attendee, Progress
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    CarePlan,
    EarlierReviewRequest,
    Episode,
    LACReview,
    RecommendationProgress,
    ReviewAttendee,
    ReviewRecommendation,
)
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.people.models import Person, Relationship

D = datetime.date
FIRST, SECOND, THIRD = D(2025, 1, 30), D(2025, 4, 28), D(2025, 10, 20)
PLAN_VIEW = "The plan meets Ada's needs; contact with her brother should grow."
IDENTITY = "Ada's carers take her to the Polish church; she keeps her Polish with Gran."


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def review(child: Person, iro: User, day: D = FIRST, **content: Any) -> LACReview:
    content.setdefault("participation", "PN1")
    return actions.record_review(acting_user=iro, child=child, review_date=day, **content)


def recommend(iro: User, r: LACReview, what: str) -> ReviewRecommendation:
    return actions.add_recommendation(
        acting_user=iro,
        review=r,
        what=what,
        who="Social worker",
        by_when=r.review_date + datetime.timedelta(days=30),
        how_we_will_know="It has happened",
    )


def url(name: str, child: Person, **kw: Any) -> str:
    return reverse(f"lookedafter:{name}", kwargs={"person_id": child.pk, **kw})


def date(prefix: str, day: D) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


@pytest.fixture
def as_iro(client: Client, iro: User) -> Client:
    client.force_login(iro)
    return client


# --- What a review records --------------------------------------------------------------------


def test_a_review_records_who_was_there_the_views_and_the_iros_view(
    in_care: Episode, child: Person, iro: User
) -> None:
    r = review(
        child,
        iro,
        child_views="Ada wants to see her brother more.",
        parents_views="Mum agrees with the plan.",
        iro_view_of_plan=PLAN_VIEW,
        iro_view_of_progress="Ada is settled at school.",
        minutes="We met at the carers' home.",
        attendees=[
            Attendee(ReviewAttendee.Role.PARENT, "Mum (synthetic)", True),
            Attendee(ReviewAttendee.Role.CARER, " Carer household Alpha ", False),
        ],
    )
    r.refresh_from_db()
    assert (r.parents_views, r.iro_view_of_plan, r.minutes) == (
        "Mum agrees with the plan.",
        PLAN_VIEW,
        "We met at the carers' home.",
    )
    assert [(a.role, a.name, a.attended) for a in r.attendees.all()] == [
        ("parent", "Mum (synthetic)", True),
        ("carer", "Carer household Alpha", False),
    ]
    assert r.minutes_completed_on is None
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.REVIEW_RECORDED)
    assert event.new_values["iro_view_of_plan"] == PLAN_VIEW
    assert event.new_values["attendees"][1] == {
        "role": "carer",
        "name": "Carer household Alpha",
        "attended": False,
    }


def test_who_was_there_is_checked(in_care: Episode, child: Person, iro: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, attendees=[Attendee("aunt", "", True)])
    assert messages(excinfo)["attendees"] == [
        "Select the role of person 1",
        "Enter the name of person 1",
    ]
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, attendees=[Attendee("other", "x" * 201, True)])
    assert messages(excinfo)["attendees"] == [
        "The name of person 1 must be 200 characters or fewer"
    ]
    assert not LACReview.objects.exists()


def test_whether_the_child_was_there_comes_from_how_they_took_part(
    in_care: Episode, child: Person, iro: User, make_child: Callable[..., Person], worker: User
) -> None:
    spoke = review(child, iro, participation="PN1", child_attended=False)
    assert (spoke.child_attended, spoke.child_was_there) == (None, True)
    absent = review(child, iro, SECOND, participation="PN6")
    assert absent.child_was_there is False
    baby = make_child("Bo", D(2024, 6, 1))
    actions.start_period_of_care(
        acting_user=worker, child=baby, start_date=START, legal_status="C1", placement=foster()
    )
    actions.allocate_iro(acting_user=worker, child=baby, iro=iro, start_date=START)
    under_four = review(baby, iro, participation="PN0", child_attended=True)
    assert (under_four.child_attended, under_four.child_was_there) == (True, True)
    unknown = review(baby, iro, SECOND, participation="PN0")
    assert unknown.child_was_there is None


# --- Completing a review ----------------------------------------------------------------------


def test_a_review_cannot_be_completed_without_the_views_and_the_iros_view_of_the_plan(
    in_care: Episode, child: Person, iro: User
) -> None:
    r = review(child, iro)
    with pytest.raises(ValidationError) as excinfo:
        actions.complete_minutes(acting_user=iro, review=r, completed_on=D(2025, 2, 5))
    assert messages(excinfo) == {
        "child_views": ["A completed review needs Ada's views, or why they were not obtained"],
        "iro_view_of_plan": ["A completed review needs the IRO's view of the care plan"],
        "identity_needs": ["Enter how the plan meets the child's identity needs"],
        "minutes": ["A completed review needs its minutes"],
    }
    r.refresh_from_db()
    assert r.minutes_completed_on is None
    actions.update_review(
        acting_user=iro,
        review=r,
        read_version=r.version,
        participation="PN7",
        child_views_not_obtained="Ada would not take part, and said so to her carers.",
        iro_view_of_plan=PLAN_VIEW,
        identity_needs=IDENTITY,
        minutes="We met without Ada.",
    )
    opened_before = LACReview.objects.get(pk=r.pk)  # by someone writing it up meanwhile
    actions.complete_minutes(acting_user=iro, review=r, completed_on=D(2025, 2, 5))
    r.refresh_from_db()
    assert r.minutes_completed_on == D(2025, 2, 5)
    # Complete, it keeps what completing it needed.
    with pytest.raises(ValidationError) as excinfo:
        actions.update_review(
            acting_user=iro,
            review=opened_before,
            read_version=r.version,
            participation="PN7",
            child_views_not_obtained="",
            iro_view_of_plan="",
            identity_needs=" ",
        )
    assert set(messages(excinfo)) == {"child_views", "iro_view_of_plan", "identity_needs"}


def test_writing_up_a_review_audits_what_changed_and_refuses_a_stale_version(
    in_care: Episode, child: Person, iro: User
) -> None:
    r = review(child, iro, child_views="Ada is happy.")
    assert r.version == 1
    actions.update_review(
        acting_user=iro,
        review=r,
        read_version=1,
        participation="PN1",
        child_views="Ada is happy.",
        parents_views="Dad wants more contact.",
        attendees=[Attendee("parent", "Dad (synthetic)", True)],
    )
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.REVIEW_UPDATED)
    assert event.old_values == {"parents_views": "", "attendees": []}
    assert event.new_values == {
        "parents_views": "Dad wants more contact.",
        "attendees": [{"role": "parent", "name": "Dad (synthetic)", "attended": True}],
    }
    with pytest.raises(EditConflict):
        actions.update_review(
            acting_user=iro, review=r, read_version=1, participation="PN1", minutes="Late"
        )
    r.refresh_from_db()
    assert (r.version, r.minutes, r.attendees.count()) == (2, "", 1)


def test_a_review_held_elsewhere_is_not_written_up_added_to_or_completed_here(
    as_iro: Client, in_care: Episode, child: Person, iro: User, worker: User
) -> None:
    held = actions.record_review_elsewhere(
        acting_user=worker,
        child=child,
        review_date=FIRST,
        participation="PN1",
        not_carried="Not in the SSD extract imported from Mosaic.",
    )
    refused = "This review was held and recorded in another system"
    with pytest.raises(ValidationError, match=refused):
        actions.update_review(
            acting_user=iro, review=held, read_version=1, participation="PN1", minutes="New"
        )
    with pytest.raises(ValidationError, match=refused):
        recommend(iro, held, "Contact with her brother")
    with pytest.raises(ValidationError, match=refused):
        actions.complete_minutes(acting_user=iro, review=held, completed_on=SECOND)
    held.refresh_from_db()
    assert (held.minutes, held.minutes_completed_on) == (
        "Not in the SSD extract imported from Mosaic.",
        None,
    )
    assert not held.recommendations.exists()
    page = as_iro.get(url("review", child, review_id=held.pk)).content.decode()
    assert "held and recorded in another system" in page
    assert url("review-edit", child, review_id=held.pk) not in page
    assert url("minutes", child, review_id=held.pk) not in page
    record = as_iro.get(url("record", child)).content.decode()
    assert url("recommendation-new", child, review_id=held.pk) not in record


# --- Identity needs ---------------------------------------------------------------------------


def _care_plan(child: Person, worker: User, day: D, identity: str) -> CarePlan:
    return actions.record_care_plan(
        acting_user=worker,
        child=child,
        plan_date=day,
        permanence_plan="return-home",
        plan_summary="Home by the summer",
        placement_plan="Carers support contact",
        child_views="Wants to go home",
        identity_needs=identity,
    )


def test_what_a_review_agrees_about_identity_the_care_plan_then_says(
    in_care: Episode, child: Person, iro: User, worker: User
) -> None:
    """As a child in need plan's review does: the care plan the review looked at takes the
    review's wording when it differs; a plan made since the review is left alone."""
    plan = _care_plan(child, worker, D(2025, 1, 10), "Polish school on Saturdays")
    same = review(child, iro, identity_needs=" Polish school on Saturdays ")
    assert same.identity_needs == "Polish school on Saturdays"
    assert not AuditEvent.objects.filter(event_type=LookedAfterEvent.CARE_PLAN_UPDATED).exists()
    blank = review(child, iro, D(2025, 2, 3))  # written up later: the plan keeps its words
    plan.refresh_from_db()
    assert plan.identity_needs == "Polish school on Saturdays"
    actions.update_review(
        acting_user=iro,
        review=blank,
        read_version=blank.version,
        participation="PN1",
        identity_needs=IDENTITY,
    )
    plan.refresh_from_db()
    assert plan.identity_needs == IDENTITY
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.CARE_PLAN_UPDATED)
    assert (event.old_values, event.new_values, event.extra) == (
        {"identity_needs": "Polish school on Saturdays"},
        {"identity_needs": IDENTITY},
        {"from_review": blank.pk},
    )
    # A newer plan says what was agreed since: correcting the older review leaves it alone.
    newer = _care_plan(child, worker, D(2025, 3, 3), "Polish school, and Gran visits monthly")
    actions.update_review(
        acting_user=iro,
        review=blank,
        read_version=blank.version,
        participation="PN1",
        identity_needs="Something the review said then",
    )
    newer.refresh_from_db()
    plan.refresh_from_db()
    assert newer.identity_needs == "Polish school, and Gran visits monthly"
    assert plan.identity_needs == IDENTITY


# --- Progress on earlier recommendations ------------------------------------------------------


def test_each_review_reports_on_the_earlier_recommendations_not_yet_done(
    in_care: Episode, child: Person, iro: User
) -> None:
    first = review(child, iro)
    contact = recommend(iro, first, "Arrange contact with her brother")
    dentist = recommend(iro, first, "Book a dentist")
    assert queries.open_recommendations(child, SECOND) == [contact, dentist]
    second = review(
        child,
        iro,
        SECOND,
        progress=[
            Progress(contact.pk, RecommendationProgress.Status.IN_PROGRESS, "Once so far"),
            Progress(dentist.pk, RecommendationProgress.Status.DONE),
        ],
    )
    assert {(p.recommendation_id, p.status, p.note) for p in second.progress.all()} == {
        (contact.pk, "in-progress", "Once so far"),
        (dentist.pk, "done", ""),
    }
    school = recommend(iro, second, "Visit the new school")
    # Done at the second review, the dentist is not asked about again.
    assert queries.open_recommendations(child, THIRD) == [contact, school]
    assert queries.reported_recommendations(second) == [contact, dentist]
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, THIRD, progress=[Progress(dentist.pk, "done")])
    assert messages(excinfo)["progress"] == [
        "Progress can be given once on each recommendation of an earlier review"
    ]
    with pytest.raises(ValidationError) as excinfo:
        review(child, iro, THIRD, progress=[Progress(school.pk, "maybe")])
    assert messages(excinfo)[f"progress_{school.pk}"] == [
        "Select how far “Visit the new school” has got"
    ]


def test_recommendations_of_an_earlier_period_of_care_are_not_asked_about(
    in_care: Episode, child: Person, iro: User, worker: User
) -> None:
    recommend(iro, review(child, iro), "From the first period")
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 3, 1), reason_episode_ceased="E13"
    )
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2025, 6, 2),
        legal_status="C2",
        placement=foster(),
    )
    assert queries.open_recommendations(child, D(2025, 7, 1)) == []
    assert queries.open_recommendations(child, D(2025, 4, 1)) == []  # not looked after


# --- Asking for an earlier review -------------------------------------------------------------


def test_the_iro_asks_for_an_earlier_review(in_care: Episode, child: Person, iro: User) -> None:
    asked = actions.request_earlier_review(
        acting_user=iro,
        child=child,
        requested_on=D(2025, 2, 10),
        review_by=D(2025, 3, 3),
        reason="The placement may end.",
    )
    assert (asked.recorded_by, asked.review_by) == (iro, D(2025, 3, 3))
    event = AuditEvent.objects.get(event_type=LookedAfterEvent.EARLIER_REVIEW_REQUESTED)
    assert event.subject_person_id == child.pk
    assert event.new_values == {
        "requested_on": "2025-02-10",
        "review_by": "2025-03-03",
        "reason": "The placement may end.",
    }
    record = queries.care_record(child)
    assert record.earlier_reviews_asked() == [(asked, None)]
    held = review(child, iro, D(2025, 2, 28))
    assert queries.care_record(child).earlier_reviews_asked() == [(asked, held)]


def test_an_earlier_review_request_is_checked(in_care: Episode, child: Person, iro: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        actions.request_earlier_review(
            acting_user=iro,
            child=child,
            requested_on=D(2025, 2, 10),
            review_by=D(2025, 2, 1),
            reason=" ",
        )
    assert messages(excinfo) == {
        "review_by": [
            "The date the review should be held by must be on or after the date you asked, "
            "10 February 2025"
        ],
        "reason": ["Enter why the review should be held earlier"],
    }
    with pytest.raises(ValidationError) as excinfo:
        actions.request_earlier_review(
            acting_user=iro,
            child=child,
            requested_on=D(2024, 12, 1),
            review_by=D(2099, 1, 1),
            reason="r",
        )
    assert messages(excinfo) == {
        "requested_on": [
            "The date you asked must be on or after the date Ada became looked after, "
            "6 January 2025"
        ],
        "review_by": ["The date the review should be held by must be within 5 years from today"],
    }
    assert not EarlierReviewRequest.objects.exists()


# --- Pages ------------------------------------------------------------------------------------


def test_the_review_form_starts_from_who_the_record_says_to_invite(
    as_iro: Client, in_care: Episode, child: Person
) -> None:
    mum = Person.objects.create(given_name="Mara", family_name="Testparent")
    Relationship.objects.create(person=mum, other=child, kind=Relationship.Kind.PARENT)
    gran = Person.objects.create(given_name="Gia", family_name="Testgran")
    Relationship.objects.create(
        person=gran,
        other=child,
        kind=Relationship.Kind.GRANDPARENT,
        has_parental_responsibility=True,
    )
    aunt = Person.objects.create(given_name="Ava", family_name="Testaunt")
    Relationship.objects.create(person=aunt, other=child, kind=Relationship.Kind.OTHER_RELATIVE)
    body = as_iro.get(url("review-new", child)).content.decode()
    assert 'value="Mara Testparent"' in body
    assert 'value="Gia Testgran"' in body  # she holds parental responsibility
    assert "Ava Testaunt" not in body
    assert 'value="Carer household Alpha"' in body
    assert 'value="Wren User"' in body  # the allocated social worker
    assert '<h2 class="govuk-heading-m">Who was there</h2>' in body
    assert 'name="person_6_name"' in body  # four from the record and two spare
    assert 'name="person_7_name"' not in body
    assert "Earlier recommendations" not in body  # none yet
    assert 'name="child_attended"' not in body  # Ada is 12: how she took part says it


def test_a_young_child_is_asked_whether_they_attended_and_an_older_review_starts_from_the_record(
    as_iro: Client,
    in_care: Episode,
    child: Person,
    iro: User,
    worker: User,
    make_child: Callable[..., Person],
) -> None:
    baby = make_child("Bo", D(2024, 6, 1))
    actions.start_period_of_care(
        acting_user=worker, child=baby, start_date=START, legal_status="C1", placement=foster()
    )
    assert 'name="child_attended"' in as_iro.get(url("review-new", baby)).content.decode()
    # A review recorded without who was there starts from who the record says to invite.
    r = review(child, iro)
    page = as_iro.get(url("review-edit", child, review_id=r.pk)).content.decode()
    assert 'value="Carer household Alpha"' in page


def test_recording_a_review_through_the_form(
    as_iro: Client, in_care: Episode, child: Person
) -> None:
    data = {
        **date("review_date", FIRST),
        "participation": "PN1",
        "child_views": "Ada spoke for herself.",
        "rows": "3",
        "person_1_role": "parent",
        "person_1_name": "Mara Testparent",
        "person_1_attended": "yes",
        "person_2_role": "carer",
        "person_2_name": "Carer household Alpha",
        "person_3_role": "",
        "person_3_name": "",
    }
    half = {**data, "person_3_name": "Ms Teacher (designated teacher)"}
    response = as_iro.post(url("review-new", child), half)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select whether person 2 attended" in body
    assert "Select the role of person 3" in body
    assert "Select whether person 3 attended" in body
    assert 'value="Ms Teacher (designated teacher)"' in body  # kept
    assert not LACReview.objects.exists()
    data["person_2_attended"] = "no"
    response = as_iro.post(url("review-new", child), data)
    r = LACReview.objects.get()
    assert response.url == url("recommendation-new", child, review_id=r.pk)  # type: ignore[attr-defined]
    assert [(a.name, a.attended) for a in r.attendees.all()] == [
        ("Mara Testparent", True),
        ("Carer household Alpha", False),
    ]


def test_the_review_page_shows_what_the_review_records(
    as_iro: Client, in_care: Episode, child: Person, iro: User
) -> None:
    first = review(child, iro)
    contact = recommend(iro, first, "Arrange contact with her brother")
    second = review(
        child,
        iro,
        SECOND,
        participation="PN5",
        child_views="Through her advocate: she wants to stay.",
        parents_views="Mum wants her home.",
        iro_view_of_plan=PLAN_VIEW,
        iro_view_of_progress="Good progress at school.",
        minutes="Everyone agreed the plan.\n\nNext review in six months.",
        attendees=[Attendee("social-worker", "Wren Worker", True)],
        progress=[Progress(contact.pk, "not-done", "The brother's carers said no.")],
    )
    body = as_iro.get(url("review", child, review_id=second.pk)).content.decode()
    assert '<h1 class="govuk-heading-l">Looked-after review on 28 April 2025</h1>' in body
    for text in (
        "PN5 - Child does not attend physically but briefs an advocate",
        "Wren Worker",
        "Through her advocate: she wants to stay.",
        "Mum wants her home.",
        PLAN_VIEW.replace("'", "&#x27;"),
        "Good progress at school.",
        "Arrange contact with her brother",
        "From the review on 30 January 2025",
        '<strong class="govuk-tag govuk-tag--red">Not done</strong>',
        "The brother&#x27;s carers said no.",
        "<p>Next review in six months.</p>",
        "Indra Reviewer",
    ):
        assert text in body, text
    assert url("review-edit", child, review_id=second.pk) in body
    record = as_iro.get(url("record", child)).content.decode()
    assert url("review", child, review_id=second.pk) in record
    assert as_iro.get(url("review", child, review_id=999)).status_code == 404


def test_writing_up_then_completing_a_review_through_the_pages(
    as_iro: Client, in_care: Episode, child: Person, iro: User
) -> None:
    first = review(child, iro)
    contact = recommend(iro, first, "Arrange contact with her brother")
    second = review(child, iro, SECOND, attendees=[Attendee("carer", "Carer Alpha", True)])
    complete = url("minutes", child, review_id=second.pk)
    assert "It is complete when its minutes are" in as_iro.get(complete).content.decode()
    response = as_iro.post(complete, date("completed_on", D(2025, 5, 1)))
    assert response.status_code == 400
    assert "A completed review needs the IRO&#x27;s view of the care plan" in (
        response.content.decode()
    )
    edit = url("review-edit", child, review_id=second.pk)
    assert f'href="{edit}">Change the review to add what it still needs' in (
        response.content.decode()
    )
    page = as_iro.get(edit).content.decode()
    assert 'name="version" value="1"' in page
    assert 'value="Carer Alpha"' in page
    assert "“Arrange contact with her brother”" in page
    assert 'name="review_date_day"' not in page  # the date stays as recorded
    data = {
        "version": "1",
        "rows": "3",
        "participation": "PN1",
        "child_views": "Ada wants to see her brother.",
        "iro_view_of_plan": PLAN_VIEW,
        "identity_needs": IDENTITY,
        "minutes": "We met.",
        "person_1_role": "carer",
        "person_1_name": "Carer Alpha",
        "person_1_attended": "yes",
        f"progress_{contact.pk}_note": "Asked for, not yet arranged",
    }
    response = as_iro.post(edit, data)
    assert response.status_code == 400
    assert "Select how far it has got, or delete the note" in response.content.decode()
    data[f"progress_{contact.pk}"] = "in-progress"
    response = as_iro.post(edit, data)
    assert response.url == url("review", child, review_id=second.pk)  # type: ignore[attr-defined]
    assert RecommendationProgress.objects.get().status == "in-progress"
    assert as_iro.post(edit, data).status_code == 400  # the version read is stale now
    response = as_iro.post(complete, date("completed_on", D(2025, 5, 1)))
    assert response.url == url("review", child, review_id=second.pk)  # type: ignore[attr-defined]
    second.refresh_from_db()
    assert second.minutes_completed_on == D(2025, 5, 1)
    body = as_iro.get(response.url).content.decode()  # type: ignore[attr-defined]
    assert "Review completed" in body
    assert "Completed 1 May 2025" in body
    assert "Complete the review</a>" not in body
    assert "Polish church" in body.split('id="identity"')[1]


def test_asking_for_an_earlier_review_through_the_page(
    as_iro: Client, in_care: Episode, child: Person
) -> None:
    page = as_iro.get(url("earlier-review", child)).content.decode()
    assert "the next review is due by 3 February 2025" in page
    response = as_iro.post(url("earlier-review", child), {**date("requested_on", D(2025, 1, 10))})
    assert response.status_code == 400
    response = as_iro.post(
        url("earlier-review", child),
        {
            **date("requested_on", D(2025, 1, 10)),
            **date("review_by", D(2025, 1, 24)),
            "reason": "The carers have given notice.",
        },
    )
    assert response.status_code == 302
    body = as_iro.get(url("record", child)).content.decode()
    assert "Earlier review asked for" in body
    assert "24 January 2025" in body
    assert "The carers have given notice." in body
    assert "Not yet held" in body


def test_an_earlier_review_request_brings_the_next_review_forward(
    in_care: Episode, child: Person, iro: User
) -> None:
    """Regulation 33(3)(a): the next review is due by the earlier of the rule's date and the
    date the IRO asked for, on the care record and in everyone's due work alike."""
    from caseline.apps.lookedafter.work import care_work_items

    as_at = START + datetime.timedelta(days=5)

    def first_review_due() -> tuple[datetime.date, datetime.date]:
        [on_record] = [
            d for d in queries.care_record(child).due(as_at) if d.rule.code == "lac-review-first"
        ]
        [in_work] = [
            i for i in care_work_items([child.pk], as_at) if i.rule_code == "lac-review-first"
        ]
        return on_record.timeliness.due_date, in_work.timeliness.due_date

    by_rule, _ = first_review_due()
    asked_for = START + datetime.timedelta(days=10)
    assert asked_for < by_rule
    actions.request_earlier_review(
        acting_user=iro,
        child=child,
        requested_on=START + datetime.timedelta(days=2),
        review_by=asked_for,
        reason="The placement may end.",
    )
    assert first_review_due() == (asked_for, asked_for)
