"""Care's due work for many children, in a fixed number of queries: the due dates the rules
give, the same as the care record page shows."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.lookedafter import actions
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
    PathwayPlan,
    PersonalEducationPlan,
    PlacementNotice,
    PlacementPlan,
)
from caseline.apps.lookedafter.queries import care_record
from caseline.apps.lookedafter.tests.conftest import START, foster
from caseline.apps.lookedafter.timescales import REVIEW_MINUTES, RULES
from caseline.apps.lookedafter.work import FORMS, care_work_items
from caseline.apps.people.models import Person
from caseline.apps.people.summary import due_items, work_items
from caseline.apps.people.tests.due import check_links

D = datetime.date
AS_AT = D(2025, 3, 1)


def _in_care(child: Person, worker: User, legal_status: str = "C1") -> None:
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=START,
        legal_status=legal_status,
        placement=foster(),
    )


def _with_history(child: Person, worker: User, iro: User) -> None:
    """In care with a plan, a placement plan and notice of the placement, a review awaiting
    minutes, visits, a health assessment, a PEP."""
    _in_care(child, worker)
    actions.allocate_iro(acting_user=worker, child=child, iro=iro, start_date=START)
    actions.record_placement_plan(
        acting_user=worker,
        child=child,
        agreed_on=D(2025, 1, 10),
        agreed_with="Carer household Alpha",
        summary="How the placement meets the child's needs.",
    )
    actions.record_placement_notice(
        acting_user=worker,
        child=child,
        emergency=True,
        given_on=D(2025, 1, 9),
        given_to=["parents", "iro"],
    )
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
    actions.record_review(
        acting_user=iro,
        child=child,
        review_date=D(2025, 1, 30),
        participation="PN1",
        child_views="x",
    )
    for day, seen in ((D(2025, 1, 9), True), (D(2025, 2, 10), False)):
        actions.record_visit(
            acting_user=worker,
            child=child,
            visit_date=day,
            child_seen=seen,
            seen_alone=seen,
            note="n",
        )
    actions.record_health(
        acting_user=worker,
        child=child,
        kind="iha",
        event_date=D(2025, 1, 20),
        health_plan="Dentist.",
    )
    actions.record_pep(
        acting_user=worker,
        child=child,
        pep_date=D(2025, 1, 20),
        school="Oak Primary (synthetic)",
        virtual_school_contact="Virtual school officer",
        quality="good",
        attainment="Expected level.",
        child_views="Likes maths.",
    )


def _care_leaver(child: Person, worker: User, *, contact: bool) -> None:
    actions.start_period_of_care(
        acting_user=worker,
        child=child,
        start_date=D(2022, 1, 10),
        legal_status="C2",
        placement=foster(),
    )
    actions.end_period_of_care(
        acting_user=worker, child=child, end_date=D(2025, 1, 5), reason_episode_ceased="E5"
    )
    actions.record_pathway_plan(
        acting_user=worker,
        child=child,
        kind="plan",
        plan_date=D(2023, 4, 1),
        summary="College and a flat.",
        young_person_views="Wants to study cooking.",
        identity_needs="i",
    )
    if contact:
        actions.record_care_leaver_contact(
            acting_user=worker,
            child=child,
            contact_date=D(2025, 2, 20),
            in_touch="YES",
            accommodation="Z",
            accommodation_suitable=True,
            activity="F2",
        )


def _children(
    count: int, make_child: Callable[..., Person], worker: User, iro: User
) -> list[Person]:
    """Children cycling through: never in care, newly in care, in care with a history, short
    breaks, a care leaver awaiting birthday contact, a care leaver in touch."""
    children = []
    for n in range(count):
        state = n % 6
        young = state in (4, 5)
        child = make_child(f"Child{n}", D(2007, 3, 1) if young else D(2012, 5, 1))
        if state == 1:
            _in_care(child, worker)
        elif state == 2:
            _with_history(child, worker, iro)
        elif state == 3:
            _in_care(child, worker, legal_status="V3")
        elif young:
            _care_leaver(child, worker, contact=state == 5)
        children.append(child)
    return children


def _bulk(children: list[Person], as_at: datetime.date = AS_AT) -> list[Any]:
    return care_work_items([c.pk for c in children], as_at)


def _due(items: list[Any], child: Person) -> dict[str, datetime.date]:
    return {i.rule_code: i.timeliness.due_date for i in items if i.person_id == child.pk}


# Newly in care on 6 January 2025 (START).
NEW = {
    "lac-visit-first": D(2025, 1, 13),  # within a week of the placement
    "lac-placement-plan": D(2025, 1, 13),  # 5 working days
    "lac-placement-notice-emergency": D(2025, 1, 13),  # 5 working days, if an emergency
    "lac-care-plan": D(2025, 1, 20),  # 10 working days
    "lac-review-first": D(2025, 2, 3),  # 20 working days
    "lac-health-initial": D(2025, 2, 3),  # 20 working days
    "lac-pep-initial": D(2025, 2, 3),
}
# With the history of ``_with_history``, from 1 March 2025 on.
HISTORY = {
    "lac-visit-six-weekly": D(2025, 2, 20),  # last seen 9 January (10 February: not seen)
    "lac-review-minutes": D(2025, 2, 27),  # 20 working days after the review of 30 January
    "lac-review-second": D(2025, 4, 30),  # 3 months after it
    "lac-pep-review": D(2025, 5, 20),  # the PEP of 20 January
    "lac-health-review": D(2026, 1, 20),  # a year after the assessment of 20 January
}
# Left care on 5 January 2025, with a pathway plan of 1 April 2023: reviewed 6-monthly.
LEAVER = {"care-leaver-pathway-review": D(2023, 10, 1)}
# On short breaks from 6 January 2025: first review and visit within 3 months (reg 48).
RESPITE = {
    "lac-review-short-breaks-first": D(2025, 4, 6),
    "lac-visit-short-breaks-first": D(2025, 4, 6),
}


def test_the_due_dates_of_each_child(
    make_child: Callable[..., Person], worker: User, iro: User
) -> None:
    children = _children(6, make_child, worker, iro)
    never, new, history, respite, leaver, in_touch = children
    birthday = {"care-leaver-birthday-contact": D(2025, 4, 1)}  # a month after the 18th
    for as_at, history_due in ((D(2025, 1, 8), NEW), (AS_AT, HISTORY), (D(2025, 9, 1), HISTORY)):
        bulk = _bulk(children, as_at)
        assert _due(bulk, never) == {}
        assert _due(bulk, respite) == RESPITE
        assert _due(bulk, new) == NEW
        assert _due(bulk, history) == history_due  # its records are dated after 8 January
        assert _due(bulk, leaver) == LEAVER | birthday
        assert _due(bulk, in_touch) == LEAVER  # the contact of 20 February met it
    [minutes] = [i for i in _bulk([history]) if i.rule_code == "lac-review-minutes"]
    assert minutes.title == "Minutes of the review"
    review = LACReview.objects.get(person=history, minutes_completed_on__isnull=True)
    assert minutes.href == f"/looked-after/{history.pk}/reviews/{review.pk}/minutes/"
    assert minutes.permission is Permission.REVIEW_CHAIR
    bulk = _bulk(children)
    by_child = {c.pk: {i.rule_code for i in bulk if i.person_id == c.pk} for c in children}
    never, new, history, respite, leaver, in_touch = children
    assert by_child[never.pk] == set()
    assert by_child[respite.pk] == set(RESPITE)
    assert {"lac-care-plan", "lac-review-first", "lac-visit-first"} <= by_child[new.pk]
    assert "lac-review-minutes" in by_child[history.pk]
    assert "lac-care-plan" not in by_child[history.pk]
    assert "care-leaver-birthday-contact" in by_child[leaver.pk]
    assert "care-leaver-birthday-contact" not in by_child[in_touch.pk]
    assert by_child[in_touch.pk]


def test_queries_do_not_grow_with_the_children(
    make_child: Callable[..., Person], worker: User, iro: User
) -> None:
    children = _children(12, make_child, worker, iro)
    counts = []
    for group in (children[:2], children[:6], children):
        with CaptureQueriesContext(connection) as queries:
            items = _bulk(group)
        counts.append(len(queries))
        assert {i.person_id for i in items} <= {c.pk for c in group}
    assert counts == [5, 5, 5]
    with CaptureQueriesContext(connection) as queries:
        assert _bulk([children[0], children[6]]) == []
    assert len(queries) == 1  # never looked after: the episodes alone


def test_the_summary_uses_the_bulk_provider(
    make_child: Callable[..., Person], worker: User, iro: User
) -> None:
    children = _children(6, make_child, worker, iro)
    mine = {i.rule_code for i in _bulk(children)}
    everyone = work_items(Person.objects.filter(pk__in=[c.pk for c in children]), AS_AT)
    assert sorted((i for i in everyone if i.rule_code in mine), key=repr) == sorted(
        _bulk(children), key=repr
    )
    history = children[2]
    assert {i.rule_code: i.timeliness.due_date for i in due_items(history, AS_AT)}.items() >= (
        HISTORY.items()
    )


# For each table: its date field, and the other fields a row needs.
_ROWS: dict[type[Any], tuple[str, dict[str, Any]]] = {
    LACReview: ("review_date", {"participation": "PN1", "child_views": "v"}),
    LACVisit: ("visit_date", {"child_seen": True, "seen_alone": False, "note": "n"}),
    HealthRecord: ("event_date", {"kind": "iha"}),
    PersonalEducationPlan: ("pep_date", {"school": "s", "quality": "good"}),
    CarePlan: ("plan_date", {"permanence_plan": "adoption"}),
    PathwayPlan: ("plan_date", {"kind": "plan"}),
    CareLeaverContact: ("contact_date", {"in_touch": "YES"}),
}


def _rows(child: Person, worker: User, model: type[Any], *days: datetime.date, **kw: Any) -> None:
    """Rows as the rules see them (written directly: the actions refuse some of these)."""
    field, values = _ROWS[model]
    if model is LACReview:
        values = values | {"chair": worker}
    for day in days:
        model.objects.create(person=child, recorded_by=worker, **{field: day, **values, **kw})


def _episode(child: Person, worker: User, start: datetime.date, **kw: Any) -> None:
    values = {"reason_new_episode": "S", "legal_status": "C2", "placement_type": "U4"}
    Episode.objects.create(person=child, recorded_by=worker, start_date=start, **values | kw)


def _paperwork(
    child: Person, worker: User, model: type[Any], episode: Episode, day: datetime.date
) -> None:
    """A placement plan or notice for the placement ``episode`` began (written directly)."""
    if model is PlacementPlan:
        values: dict[str, Any] = {"agreed_on": day, "agreed_with": "Carer", "summary": "s"}
    else:
        values = {"given_on": day, "emergency": False, "given_to": ["parents"]}
    model.objects.create(person=child, recorded_by=worker, episode=episode, **values)


def test_the_same_items_from_the_latest_dates_alone(
    make_child: Callable[..., Person], worker: User
) -> None:
    """The due work of many children reads only the latest visit, assessment, PEP and plans:
    the items are those the care record page works out from the child's whole history,
    however the history falls."""
    # Two periods of care; in the second a move of placement; rows on both sides of each.
    moved = make_child("Moved", D(2012, 5, 1))
    _episode(moved, worker, D(2021, 2, 1), end_date=D(2022, 5, 1), reason_episode_ceased="E11")
    _episode(moved, worker, D(2023, 1, 9), end_date=D(2024, 6, 3), reason_episode_ceased="X1")
    _episode(moved, worker, D(2024, 6, 3), reason_new_episode="P", intended_until_18=True)
    _rows(moved, worker, LACVisit, D(2021, 3, 1), D(2023, 2, 1), D(2024, 5, 20), D(2026, 9, 1))
    _rows(moved, worker, LACVisit, D(2024, 6, 10), D(2025, 1, 5), child_seen=False)
    _rows(moved, worker, LACReview, D(2021, 3, 1), D(2023, 2, 3), D(2024, 6, 20))
    _rows(moved, worker, LACReview, D(2021, 8, 1), D(2023, 7, 1), minutes_completed_on=None)
    _rows(moved, worker, HealthRecord, D(2021, 2, 20), D(2023, 2, 1), D(2025, 2, 1))
    _rows(moved, worker, HealthRecord, D(2024, 1, 10), kind="rha")
    _rows(moved, worker, HealthRecord, D(2024, 3, 1), D(2024, 12, 1), kind="dental")
    _rows(moved, worker, PersonalEducationPlan, D(2021, 3, 1), D(2023, 3, 1), D(2025, 9, 1))
    _rows(moved, worker, CarePlan, D(2021, 2, 10), D(2023, 6, 1))
    # Assessed when under 5.
    baby = make_child("Baby", D(2021, 1, 1))
    _episode(baby, worker, D(2023, 2, 1), legal_status="C1")
    _rows(baby, worker, HealthRecord, D(2023, 2, 10), D(2026, 2, 1))
    # A former relevant care leaver, to 25: pathway plans, and contacts around birthdays.
    leaver = make_child("Leaver", D(2002, 3, 1))
    _episode(leaver, worker, D(2017, 1, 2), end_date=D(2020, 3, 1), reason_episode_ceased="E17")
    _rows(leaver, worker, LACReview, D(2019, 6, 1), minutes_completed_on=None)
    _rows(leaver, worker, PathwayPlan, D(2018, 5, 1), D(2023, 5, 1))
    _rows(leaver, worker, PathwayPlan, D(2024, 5, 1), kind="review")
    _rows(leaver, worker, PathwayPlan, D(2024, 9, 1), kind="needs-assessment")
    _rows(leaver, worker, CareLeaverContact, D(2023, 3, 1), D(2024, 2, 1), D(2025, 5, 1))
    _rows(leaver, worker, CareLeaverContact, D(2024, 10, 1), D(2026, 2, 20), in_touch="NO")
    _rows(leaver, worker, CareLeaverContact, D(2024, 10, 1))  # the same day, read later
    # A placement plan for the placement before the move, a notice of the move given late.
    first, moved_to = Episode.objects.filter(person=moved, start_date__year__gte=2023)
    _paperwork(moved, worker, PlacementPlan, first, D(2023, 1, 12))
    _paperwork(moved, worker, PlacementNotice, moved_to, D(2024, 8, 1))
    # On short breaks: two in 2024 with a review between them, seen on the second; then none
    # for over a year, so the series lapses; a new series in 2026.
    respite = make_child("Respite", D(2015, 1, 1))
    for start, end in ((D(2024, 1, 8), D(2024, 1, 12)), (D(2024, 5, 6), D(2024, 5, 10))):
        _episode(
            respite, worker, start, end_date=end, legal_status="V3", reason_episode_ceased="E13"
        )
    _episode(respite, worker, D(2026, 2, 2), end_date=D(2026, 2, 6), legal_status="V3")
    _rows(respite, worker, LACReview, D(2024, 3, 1), minutes_completed_on=D(2024, 3, 8))
    _rows(respite, worker, LACVisit, D(2024, 5, 8))
    children = [moved, baby, leaver, respite]
    bulk = _bulk(children, D(2024, 7, 1))
    assert _due(bulk, moved) == {
        "lac-review-minutes": D(2024, 7, 18),  # the review of 20 June awaits its minutes
        "lac-pep-review": D(2023, 7, 1),  # the PEP of 1 March 2023: none since
        "lac-visit-first": D(2024, 6, 10),  # moved on 3 June: not seen there since
        "lac-review-subsequent": D(2024, 12, 20),
        "lac-health-review": D(2025, 1, 10),  # the review assessment of 10 January 2024
        # Moved on 3 June: the plan of the placement before does not count; the notice is
        # given on 1 August, after 1 July.
        "lac-placement-plan": D(2024, 6, 10),
        "lac-placement-notice-emergency": D(2024, 6, 10),
    }
    assert _due(bulk, respite) == {
        "lac-review-short-breaks": D(2024, 9, 1),  # 6 months after the review of 1 March
        "lac-visit-short-breaks": D(2024, 11, 8),  # 6 months after the visit of 8 May
    }
    assert _due(bulk, baby) == {
        "lac-visit-first": D(2023, 2, 8),
        "lac-placement-plan": D(2023, 2, 8),
        "lac-placement-notice-emergency": D(2023, 2, 8),
        "lac-care-plan": D(2023, 2, 15),
        "lac-review-first": D(2023, 3, 1),
        "lac-health-review-under-5": D(2023, 8, 10),  # 6-monthly: assessed at 2
    }
    assert _due(bulk, leaver) == {
        "lac-review-minutes": D(2019, 6, 28),
        "care-leaver-pathway-review": D(2024, 11, 1),  # the review of 1 May 2024
    }
    assert _due(_bulk(children, D(2025, 6, 1)), respite) == {}  # lapsed on 10 May 2025
    bulk = _bulk(children, D(2026, 3, 1))
    assert _due(bulk, baby)["lac-health-review"] == D(2027, 2, 1)  # assessed at 5
    assert _due(bulk, moved)["lac-pep-review"] == D(2026, 1, 1)  # the PEP of 1 September 2025
    assert "lac-placement-notice-emergency" not in _due(bulk, moved)  # given on 1 August 2024
    assert _due(bulk, respite) == {  # a new series from 2 February 2026
        "lac-review-short-breaks-first": D(2026, 5, 2),
        "lac-visit-short-breaks-first": D(2026, 5, 2),
    }
    rules = set()
    day = D(2021, 1, 15)
    while day < D(2027, 6, 1):
        bulk = _bulk(children, day)
        for child in children:
            mine = sorted(
                ((i.title, i.rule_code, i.timeliness) for i in bulk if i.person_id == child.pk),
                key=repr,
            )
            page = care_record(child).due(day)
            assert mine == sorted(((d.title, d.rule.code, d.timeliness) for d in page), key=repr), (
                child,
                day,
            )
        rules |= {i.rule_code for i in bulk}
        day += datetime.timedelta(days=17)
    assert rules >= {
        "lac-care-plan",
        "lac-visit-six-weekly",
        "lac-visit-long-term",
        "lac-health-review",
        "lac-health-review-under-5",
        "lac-pep-review",
        "lac-review-minutes",
        "care-leaver-pathway-review",
        "care-leaver-birthday-contact",
        "lac-placement-plan",
        "lac-placement-notice-emergency",
        "lac-review-short-breaks-first",
        "lac-review-short-breaks",
        "lac-visit-short-breaks-first",
        "lac-visit-short-breaks",
    }


def test_each_item_links_to_its_form_and_the_reviews_are_the_iros(
    make_child: Callable[..., Person], worker: User, iro: User
) -> None:
    children = _children(6, make_child, worker, iro)
    with_iro = children[2].pk  # the child with a history has an IRO
    names: set[str] = set()
    day = D(2021, 1, 15)
    while day < D(2027, 6, 1):
        bulk = _bulk(children, day)
        names |= check_links(bulk)
        for item in bulk:
            chaired = item.permission is Permission.REVIEW_CHAIR
            assert chaired == item.rule_code.startswith("lac-review"), item.rule_code
            expected = iro.pk if chaired and item.person_id == with_iro else None
            assert item.assigned_to_id == expected, (item.rule_code, day)
        day += datetime.timedelta(days=61)
    assert names == {
        "lookedafter:care-plan",
        "lookedafter:placement-plan",
        "lookedafter:placement-notice",
        "lookedafter:review-new",
        "lookedafter:minutes",
        "lookedafter:visit-new",
        "lookedafter:health-new",
        "lookedafter:pep-new",
        "lookedafter:pathway-new",
        "lookedafter:contact-new",
    }


def test_every_rule_has_a_form() -> None:
    assert set(FORMS) | {REVIEW_MINUTES.code} == {rule.code for rule in RULES}
