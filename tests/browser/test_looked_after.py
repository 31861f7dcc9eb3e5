"""A social worker brings a child into care, moves the placement and allocates the IRO; the IRO
holds the first review, writes up and completes a later one and asks for an earlier one; the
social worker corrects a mistyped episode. In a real browser, with axe-core on every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter import timescales as rules
from caseline.apps.lookedafter.models import (
    Episode,
    LACReview,
    PlacementProvider,
    ReviewRecommendation,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.timescales.rules import format_date
from tests.browser.conftest import axe_violations, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def child(transactional_db: None) -> Person:
    ensure_demo_users()
    worker = User.objects.get(username="social.worker")
    assert worker.team is not None
    child = Person.objects.create(
        given_name="Lola", family_name="Sampleford", date_of_birth=datetime.date(2014, 6, 9)
    )
    Allocation.objects.create(
        person=child,
        team=worker.team,
        worker=worker,
        start_date=timezone.localdate() - datetime.timedelta(days=90),
    )
    return child


def fill_date(page: Any, name: str, day: datetime.date) -> None:
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def fill_placement(page: Any, placement_type: str, provider: str, carer: str) -> None:
    page.get_by_label("Placement type").select_option(placement_type)
    page.get_by_label("Provider from the register", exact=True).select_option(label=provider)
    page.get_by_label("Carer", exact=True).fill(carer)
    page.get_by_label("Placement postcode").fill("AB1 2CD")
    page.get_by_label("Distance from home in miles").fill("4.5")
    page.get_by_label("Inside the area").check()
    page.locator('input[name="intended_until_18"][value="no"]').check()


def test_child_comes_into_care_moves_and_has_a_review(
    live_server: Any, page: Any, child: Person
) -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=42)
    move = today - datetime.timedelta(days=14)
    record = f"{live_server.url}/looked-after/{child.pk}/"
    # The register of providers the placements are chosen from.
    PlacementProvider.objects.create(
        name="Northshire Fostering Service",
        ofsted_urn="SC100002",
        postcode="AB1 9ZZ",
        provider_type="PR1",
        recorded_by=User.objects.get(username="team.manager"),
    )
    PlacementProvider.objects.create(
        name="Birch Fostering Ltd",
        ofsted_urn="SC200001",
        postcode="EF5 6GH",
        provider_type="PR4",
        recorded_by=User.objects.get(username="team.manager"),
    )

    sign_in(page, live_server, "social.worker")
    page.goto(record)
    expect(page.get_by_role("heading", level=1)).to_have_text("Care and leaving care")
    assert_accessible(page)
    page.get_by_role("link", name="Start a period of care").click()

    # Bad input is refused with a clear message, and the page stays accessible.
    page.get_by_role("button", name="Start the period of care").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date the child became looked after")
    expect(summary).to_contain_text("Select the placement type")
    assert_accessible(page)

    fill_date(page, "start_date", start)
    page.get_by_label("Legal status").select_option("C1")
    fill_placement(
        page,
        "U6",
        "Northshire Fostering Service, AB1 9ZZ (Ofsted URN SC100002)",
        "Foster household Alpha (synthetic)",
    )
    page.get_by_role("button", name="Start the period of care").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Period of care started"
    )
    expect(page.locator("#main-content")).to_contain_text("C1 - Interim care order")
    expect(page.locator(".moj-identity-bar")).to_contain_text("Looked after")

    # Move placement.
    page.get_by_role("link", name="Change the placement").click()
    assert_accessible(page)
    fill_date(page, "change_date", move)
    page.locator('input[name="same_carer"][value="no"]').check()
    page.get_by_label("Reason for the placement change").select_option("CARPL")
    fill_placement(
        page,
        "U4",
        "Birch Fostering Ltd, EF5 6GH (Ofsted URN SC200001)",
        "Foster household Beta (synthetic)",
    )
    page.get_by_role("button", name="Save the placement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Placement changed")
    expect(page.locator("#main-content")).to_contain_text("2 placements in this period of care")
    assert list(
        Episode.objects.filter(person=child).values_list("reason_new_episode", flat=True)
    ) == [
        "S",
        "P",
    ]
    assert_accessible(page)

    # The social worker allocates the IRO, who holds the first review.
    page.get_by_role("link", name="Allocate an IRO").click()
    page.get_by_label("Independent reviewing officer").select_option(label="Ira Reeve")
    fill_date(page, "start_date", start)
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator("#main-content")).to_contain_text("Ira Reeve, since")
    expect(page.get_by_role("link", name="Record a review")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, live_server, "iro")
    page.goto(record)
    expect(page.get_by_role("link", name="Change the IRO")).to_have_count(0)
    page.get_by_role("link", name="Record a review").click()
    assert_accessible(page)
    fill_date(page, "review_date", today - datetime.timedelta(days=3))
    page.get_by_label("How the child took part").select_option("PN1")
    # The carer and the social worker are listed from the record: say whether they came.
    page.locator('input[name="person_1_attended"][value="yes"]').check()
    page.locator('input[name="person_2_attended"][value="yes"]').check()
    page.get_by_label("The child's views", exact=True).fill(
        "Lola said she feels settled and wants to stay."
    )
    page.get_by_role("button", name="Save the review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a recommendation")
    page.get_by_label("What needs to happen").fill("Arrange contact with Lola's brother")
    page.get_by_label("Who will do it").fill("Social worker")
    fill_date(page, "by_when", today + datetime.timedelta(days=28))
    page.get_by_label("How we will know it has happened").fill("Two contacts have taken place")
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Recommendation added"
    )
    expect(page.locator("#recommendations + table")).to_contain_text(
        "Arrange contact with Lola's brother"
    )
    review = LACReview.objects.get(person=child)
    assert review.chair.username == "iro"
    assert ReviewRecommendation.objects.filter(review=review).count() == 1

    # What is due comes from the timescale rules, to the day.
    page.get_by_role("link", name="Back to care and leaving care").click()
    due = page.locator("#due + table")
    second_review = rules.REVIEW_SECOND.due_date(review.review_date)
    expect(due.get_by_role("row", name="Looked-after review")).to_contain_text(
        format_date(second_review)
    )
    visit_row = due.get_by_role("row", name="Statutory visit")
    expect(visit_row).to_contain_text(format_date(rules.VISIT_FIRST.due_date(move)))
    expect(visit_row).to_contain_text("Overdue")
    assert_accessible(page)


@pytest.fixture
def in_care(child: Person) -> Episode:
    """Lola in foster care since 120 days ago, with the demo IRO, and a first review held 90
    days ago that made one recommendation."""
    worker = User.objects.get(username="social.worker")
    iro = User.objects.get(username="iro")
    today = timezone.localdate()
    start = today - datetime.timedelta(days=120)
    episode = actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=start,
        legal_status="C2",
        placement=actions.PlacementDetails(
            placement_type="U6",
            placement_provider="PR1",
            ofsted_urn="SC100002",
            carer_name="Foster household Alpha (synthetic)",
            area=Episode.Area.IN,
        ),
    )
    actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=start)
    first = actions.record_review(
        acting_user=iro,
        child=child,
        review_date=today - datetime.timedelta(days=90),
        participation="PN1",
        child_views="Lola likes her carers.",
    )
    actions.add_recommendation(
        acting_user=iro,
        review=first,
        what="Arrange contact with Lola's brother",
        who="Social worker",
        by_when=today - datetime.timedelta(days=60),
        how_we_will_know="Two contacts have taken place",
    )
    return episode


def test_the_iro_writes_up_a_review_completes_it_and_asks_for_an_earlier_one(
    live_server: Any, page: Any, in_care: Episode, child: Person
) -> None:
    today = timezone.localdate()
    record = f"{live_server.url}/looked-after/{child.pk}/"
    sign_in(page, live_server, "iro")
    page.goto(record)
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=2, name="Who was there")).to_be_visible()
    # The rows start from the record: the carer and the allocated social worker.
    expect(page.locator('input[name="person_1_name"]')).to_have_value(
        "Foster household Alpha (synthetic)"
    )
    expect(page.locator('input[name="person_2_name"]')).to_have_value("Sam Worth")
    assert_accessible(page)
    fill_date(page, "review_date", today - datetime.timedelta(days=2))
    page.get_by_label("How the child took part").select_option("PN1")
    page.locator('input[name="person_1_attended"][value="yes"]').check()
    page.locator('input[name="person_3_name"]').fill("Ms Teacher (synthetic), designated teacher")
    page.get_by_role("button", name="Save the review").click()
    # A half-filled row is refused, keeping what was typed.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select whether person 2 attended")
    expect(summary).to_contain_text("Select the role of person 3")
    expect(page.locator('input[name="person_3_name"]')).to_have_value(
        "Ms Teacher (synthetic), designated teacher"
    )
    assert_accessible(page)
    page.locator('input[name="person_2_attended"][value="yes"]').check()
    page.locator('select[name="person_3_role"]').select_option("other")
    page.locator('input[name="person_3_attended"][value="no"]').check()
    page.get_by_label("The child's views", exact=True).fill("Lola wants to see her brother.")
    page.get_by_label("The parents' views").fill("Mum (synthetic) wants more contact.")
    page.get_by_role("group", name="Arrange contact with Lola's brother").get_by_label(
        "In progress"
    ).check()
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Review recorded")

    # Completing it needs the IRO's view of the plan and the minutes.
    review = LACReview.objects.get(person=child, review_date=today - datetime.timedelta(days=2))
    review_page = f"{record}reviews/{review.pk}/"
    page.goto(review_page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Looked-after review on")
    expect(page.locator("#earlier-recommendations + table")).to_contain_text("In progress")
    assert_accessible(page)
    page.get_by_role("link", name="Complete the review").click()
    fill_date(page, "completed_on", today)
    page.get_by_role("button", name="Complete the review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("A completed review needs the IRO's view of the care plan")
    expect(summary).to_contain_text("A completed review needs its minutes")
    expect(summary).to_contain_text("Enter how the plan meets the child's identity needs")
    assert_accessible(page)
    page.get_by_role("link", name="Change the review to add what it still needs").click()
    page.get_by_label("The IRO's view of the care plan").fill(
        "The plan meets Lola's needs; contact should grow."
    )
    page.get_by_label("How the plan meets Lola's identity needs").fill(
        "Lola keeps going to her Saturday dance class with her cousins."
    )
    page.get_by_label("Minutes").fill("We met at the carers' home.\n\nEveryone agreed the plan.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Review saved")
    page.get_by_role("link", name="Complete the review").click()
    fill_date(page, "completed_on", today)
    page.get_by_role("button", name="Complete the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Review completed")
    main = page.locator("#main-content")
    expect(main).to_contain_text(f"Completed {format_date(today)}")
    expect(main).to_contain_text("Everyone agreed the plan.")
    expect(main).to_contain_text("Saturday dance class with her cousins")
    expect(page.locator("#attendance + table")).to_contain_text("Ms Teacher (synthetic)")
    assert_accessible(page)

    # The IRO asks for the next review sooner.
    page.goto(record)
    page.get_by_role("link", name="Ask for an earlier review").click()
    assert_accessible(page)
    fill_date(page, "requested_on", today)
    fill_date(page, "review_by", today + datetime.timedelta(days=14))
    page.get_by_label("Why it should be held earlier").fill("The carers have given notice.")
    page.get_by_role("button", name="Save the request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Earlier review asked for"
    )
    asked = page.locator("#earlier-reviews")
    expect(asked).to_contain_text(format_date(today + datetime.timedelta(days=14)))
    expect(asked).to_contain_text("Ira Reeve")
    expect(asked).to_contain_text("Not yet held")
    assert_accessible(page)


def test_the_social_worker_corrects_a_mistyped_episode(
    live_server: Any, page: Any, in_care: Episode, child: Person
) -> None:
    typed = in_care.start_date
    meant = typed + datetime.timedelta(days=1)
    sign_in(page, live_server, "social.worker")
    page.goto(f"{live_server.url}/looked-after/{child.pk}/")
    page.get_by_role("link", name=f"Correct the episode from {format_date(typed)}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct an episode")
    expect(page.get_by_label("Carer", exact=True)).to_have_value(
        "Foster household Alpha (synthetic)"
    )
    assert_accessible(page)
    fill_date(page, "start_date", meant)
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are correcting the episode"
    )
    assert_accessible(page)
    page.get_by_label("Why you are correcting it").fill("The start date was mistyped.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Episode corrected")
    expect(page.locator("#main-content")).to_contain_text(
        "by Sam Worth: The start date was mistyped."
    )
    in_care.refresh_from_db()
    assert in_care.start_date == meant
    assert_accessible(page)
