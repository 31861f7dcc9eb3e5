"""What care adds to the summary page, the identity bar and due work."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from caseline.apps.accounts.models import User
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.models import Episode
from caseline.apps.lookedafter.providers import care_badges, care_summary
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.lookedafter.work import care_work_items
from caseline.apps.people.contribution import Badge
from caseline.apps.people.models import Person
from caseline.apps.people.summary import badges, due_items
from caseline.apps.timescales.rules import TimelinessStatus

D = datetime.date


def test_nothing_for_a_child_never_in_care(child: Person, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        assert care_badges(child, D(2025, 2, 1)) == []
    assert care_summary(child, D(2025, 2, 1)) == []
    assert care_badges(child, D(2025, 2, 1)) == []
    assert care_work_items([child.pk], D(2025, 2, 1)) == []


def test_looked_after_child(child: Person, in_care: Episode, worker: User, iro: User) -> None:
    plan_due = {i.rule_code: i for i in care_work_items([child.pk], D(2025, 1, 8))}["lac-care-plan"]
    assert plan_due.timeliness.due_date == D(2025, 1, 20)
    actions.record_care_plan(
        acting_user=worker,
        child=child,
        plan_date=D(2025, 1, 10),
        permanence_plan="adoption",
        plan_summary="s",
        placement_plan="p",
        child_views="v",
        identity_needs="i",
    )
    as_at = D(2025, 2, 4)
    [block] = care_summary(child, as_at)
    rows = dict(block.rows)
    assert rows["Looked after since"] == "6 January 2025"
    assert rows["Legal status"] == "Interim care order"
    assert rows["Permanence plan"] == "Adoption"
    assert rows["IRO"] == "Indra Reviewer"
    assert care_badges(child, as_at) == [Badge("Looked after", "purple")]
    assert Badge("Looked after", "purple") in badges(child, as_at)
    due = {item.rule_code: item.timeliness for item in care_work_items([child.pk], as_at)}
    assert due["lac-review-first"].due_date == D(2025, 2, 3)
    assert due["lac-review-first"].status is TimelinessStatus.OVERDUE
    assert due["lac-visit-first"].due_date == D(2025, 1, 13)
    assert due["lac-health-initial"].due_date == D(2025, 2, 3)
    assert due["lac-pep-initial"].due_date == D(2025, 2, 3)
    assert "lac-care-plan" not in due
    assert {i.rule_code for i in due_items(child, as_at)} >= set(due)
    review = actions.record_review(
        acting_user=iro,
        child=child,
        review_date=D(2025, 1, 30),
        participation="PN1",
        child_views="x",
        identity_needs="i",
        iro_view_of_plan="p",
        minutes="m",
    )
    due = {item.rule_code: item.timeliness for item in care_work_items([child.pk], as_at)}
    assert due["lac-review-second"].due_date == D(2025, 4, 30)
    assert due["lac-review-minutes"].due_date == D(2025, 2, 27)
    actions.complete_minutes(acting_user=iro, review=review, completed_on=D(2025, 2, 3))
    assert "lac-review-minutes" not in {i.rule_code for i in care_work_items([child.pk], as_at)}


def test_short_breaks_and_care_leavers(make_child: Callable[..., Person], worker: User) -> None:
    respite = make_child("Sol")
    actions.start_period_of_care(
        acting_user=worker, child=respite, start_date=START, legal_status="V3", placement=foster()
    )
    assert care_badges(respite, D(2025, 1, 8)) == [Badge("Short breaks", "grey")]
    # Short breaks have their own review and visit (regulation 48): 3 months from the first.
    breaks = care_work_items([respite.pk], D(2025, 1, 8))
    assert {i.rule_code: i.timeliness.due_date for i in breaks} == {
        "lac-review-short-breaks-first": D(2025, 4, 6),
        "lac-visit-short-breaks-first": D(2025, 4, 6),
    }
    assert care_summary(respite, D(2025, 1, 8)) == []

    young = make_child("Cal", D(2007, 3, 1))
    actions.start_period_of_care(
        acting_user=worker,
        child=young,
        start_date=D(2022, 1, 10),
        legal_status="C2",
        placement=foster(),
    )
    actions.end_period_of_care(
        acting_user=worker, child=young, end_date=D(2025, 1, 5), reason_episode_ceased="E5"
    )
    actions.allocate_personal_adviser(
        acting_user=worker, child=young, name="Adviser One", start_date=D(2025, 1, 5)
    )
    as_at = D(2025, 3, 1)
    assert care_badges(young, as_at) == [Badge("Care leaver", "purple")]
    [block] = care_summary(young, as_at)
    assert dict(block.rows) == {
        "Care leaver": "Former relevant child (18 to 25)",
        "Personal adviser": "Adviser One",
    }
    due = {item.rule_code: item for item in care_work_items([young.pk], as_at)}
    # 13 weeks from 14 and still looked after at 16 (1 March 2023): plan due 3 months later.
    assert due["care-leaver-pathway-plan"].timeliness.due_date == D(2023, 6, 1)
    # The 18th birthday (1 March 2025) was after leaving care: contact due by 1 April.
    contact = due["care-leaver-birthday-contact"]
    assert contact.timeliness.due_date == D(2025, 4, 1)
    assert contact.title == "Keeping in touch around the 18th birthday"
    actions.record_care_leaver_contact(
        acting_user=worker,
        child=young,
        contact_date=D(2025, 2, 20),
        in_touch="YES",
        accommodation="Z",
        accommodation_suitable=True,
        activity="F2",
    )
    assert "care-leaver-birthday-contact" not in {
        i.rule_code for i in care_work_items([young.pk], as_at)
    }


def test_pen_picture_leads_the_summary(child: Person, worker: User) -> None:
    actions.save_pen_picture(
        acting_user=worker,
        child=child,
        read_version=None,
        who_they_are="Ada loves drawing.",
        what_matters="Her brother.",
        story_so_far="s",
        big_decisions="b",
    )
    [block] = care_summary(child, D(2025, 2, 1))
    assert block.order == 5
    assert block.title == "Who Ada is"
    assert dict(block.rows)["What matters to them"] == "Her brother."
