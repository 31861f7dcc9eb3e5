"""Every looked-after action checks its permission before anything else, and it is the same
permission its page declares."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.access import declared_permission
from caseline.apps.lookedafter import actions, urls
from caseline.apps.lookedafter.models import Episode, PlacementProvider
from caseline.apps.lookedafter.tests.conftest import foster
from caseline.apps.lookedafter.tests.permanence_cases import PERMANENCE_CASES
from caseline.apps.people.models import Person

D = datetime.date
# Refused by every action that takes a date, so a user past the permission check is refused
# for what they entered instead: proof the permission was the only thing in the way.
FUTURE = D(2099, 1, 1)
CARE, PLAN, VISIT, CHAIR, REGISTER = (
    Permission.CARE_RECORD,
    Permission.PLAN_RECORD,
    Permission.VISIT_RECORD,
    Permission.REVIEW_CHAIR,
    Permission.PROVIDERS_MANAGE,
)
Arguments = Callable[[dict[str, Any]], dict[str, Any]]

# (action, the permission it needs, its page's URL name, its arguments from the targets)
CASES: list[tuple[str, Permission, str, Arguments]] = [
    (
        "start_period_of_care",
        CARE,
        "start",
        lambda t: {
            "child": t["child"],
            "start_date": FUTURE,
            "legal_status": "C1",
            "placement": foster(),
        },
    ),
    (
        "change_legal_status",
        CARE,
        "legal-status",
        lambda t: {"child": t["child"], "change_date": FUTURE, "legal_status": "C2"},
    ),
    (
        "change_placement",
        CARE,
        "placement",
        lambda t: {
            "child": t["child"],
            "change_date": FUTURE,
            "placement": foster(),
            "same_carer": False,
            "reason_place_change": "CARPL",
        },
    ),
    (
        "end_period_of_care",
        CARE,
        "end",
        lambda t: {"child": t["child"], "end_date": FUTURE, "reason_episode_ceased": "E4A"},
    ),
    (
        "correct_episode",
        CARE,
        "episode-correct",
        lambda t: {
            "episode": t["episode"],
            "start_date": FUTURE,
            "legal_status": "C1",
            "placement": foster(),
            "reason": "Mistyped",
        },
    ),
    (
        "allocate_iro",
        CARE,
        "iro",
        lambda t: {"child": t["child"], "iro": t["iro"], "start_date": FUTURE},
    ),
    (
        "record_care_plan",
        PLAN,
        "care-plan",
        lambda t: {
            "child": t["child"],
            "plan_date": FUTURE,
            "permanence_plan": "adoption",
            "plan_summary": "s",
            "placement_plan": "p",
            "child_views": "v",
            "identity_needs": "i",
        },
    ),
    (
        "record_placement_plan",
        PLAN,
        "placement-plan",
        lambda t: {
            "child": t["child"],
            "agreed_on": FUTURE,
            "agreed_with": "Carer",
            "summary": "s",
        },
    ),
    (
        "record_placement_notice",
        CARE,
        "placement-notice",
        lambda t: {
            "child": t["child"],
            "emergency": True,
            "given_on": FUTURE,
            "given_to": ["parents"],
        },
    ),
    (
        "record_review",
        CHAIR,
        "review-new",
        lambda t: {
            "child": t["child"],
            "review_date": FUTURE,
            "participation": "PN1",
            "child_views": "v",
        },
    ),
    (
        "update_review",
        CHAIR,
        "review-edit",
        lambda t: {"review": t["review"], "read_version": 1, "participation": "PN9"},
    ),
    (
        "request_earlier_review",
        CHAIR,
        "earlier-review",
        lambda t: {
            "child": t["child"],
            "requested_on": FUTURE,
            "review_by": FUTURE,
            "reason": "The placement is at risk",
        },
    ),
    (
        "add_recommendation",
        CHAIR,
        "recommendation-new",
        lambda t: {
            "review": t["review"],
            "what": "w",
            "who": "x",
            "by_when": FUTURE,
            "how_we_will_know": "y",
        },
    ),
    (
        "complete_minutes",
        CHAIR,
        "minutes",
        lambda t: {"review": t["review"], "completed_on": FUTURE},
    ),
    (
        "record_visit",
        VISIT,
        "visit-new",
        lambda t: {
            "child": t["child"],
            "visit_date": FUTURE,
            "child_seen": True,
            "seen_alone": True,
            "note": "n",
        },
    ),
    (
        "record_health",
        CARE,
        "health-new",
        lambda t: {"child": t["child"], "kind": "sdq", "event_date": FUTURE, "sdq_score": 3},
    ),
    (
        "record_pep",
        CARE,
        "pep-new",
        lambda t: {
            "child": t["child"],
            "pep_date": FUTURE,
            "school": "s",
            "virtual_school_contact": "v",
            "quality": "good",
            "attainment": "a",
            "child_views": "c",
        },
    ),
    (
        "record_missing",
        CARE,
        "missing-new",
        lambda t: {
            "child": t["child"],
            "missing_type": "M",
            "start_date": FUTURE,
            "end_date": None,
            "return_interview_offered": None,
            "return_interview_accepted": None,
        },
    ),
    (
        "record_missing_return",
        CARE,
        "missing-return",
        lambda t: {
            "missing": t["missing"],
            "end_date": FUTURE,
            "return_interview_offered": None,
            "return_interview_accepted": None,
        },
    ),
    (
        "record_placement_cost",
        CARE,
        "placement-cost",
        lambda t: {
            "episode": t["episode"],
            "weekly_cost": Decimal("-1"),
            "start_date": t["episode"].start_date,
        },
    ),
    (
        "allocate_personal_adviser",
        CARE,
        "adviser",
        lambda t: {"child": t["child"], "name": "Adviser", "start_date": FUTURE},
    ),
    (
        "record_pathway_plan",
        PLAN,
        "pathway-new",
        lambda t: {
            "child": t["child"],
            "kind": "plan",
            "plan_date": FUTURE,
            "summary": "s",
            "young_person_views": "v",
        },
    ),
    (
        "record_care_leaver_contact",
        CARE,
        "contact-new",
        lambda t: {"child": t["child"], "contact_date": FUTURE, "in_touch": "NO"},
    ),
    (
        "save_pen_picture",
        CARE,
        "pen-picture",
        lambda t: {
            "child": t["child"],
            "read_version": None,
            "who_they_are": "",
            "what_matters": "",
            "story_so_far": "",
            "big_decisions": "",
        },
    ),
    (
        "add_placement_provider",
        REGISTER,
        "provider-new",
        lambda t: {"name": "", "provider_type": "PR4"},
    ),
    (
        "change_placement_provider",
        REGISTER,
        "provider-edit",
        lambda t: {
            "provider": t["provider"],
            "read_version": 1,
            "name": "",
            "provider_type": "PR4",
            "ofsted_urn": "",
            "postcode": "",
            "placement_types": [],
            "outside_england": False,
            "active": True,
        },
    ),
    (
        "save_uasc_details",
        CARE,
        "uasc",
        lambda t: {
            "child": t["child"],
            "read_version": None,
            "arrived_on": FUTURE,
            "national_transfer_scheme": False,
            "age_assessment_on": None,
            "age_assessment_outcome": "",
            "ceased_on": None,
        },
    ),
]

CASES += PERMANENCE_CASES


def holding(make_user: Callable[..., User], permissions: Iterable[Permission]) -> User:
    """A user holding exactly ``permissions``, given directly rather than through a role."""
    user = make_user()
    user.user_permissions.set(
        DjangoPermission.objects.filter(
            content_type__app_label="accounts", codename__in=[p.codename for p in permissions]
        )
    )
    return user


@pytest.fixture
def targets(in_care: Episode, child: Person, worker: User, iro: User) -> dict[str, Any]:
    """What the actions act on: the child in care, one of their reviews and missing episodes."""
    return {
        "child": child,
        "episode": in_care,
        "iro": iro,
        "review": actions.record_review(
            acting_user=iro,
            child=child,
            review_date=D(2025, 1, 30),
            participation="PN1",
            child_views="v",
        ),
        "missing": actions.record_missing(
            acting_user=worker,
            child=child,
            missing_type="M",
            start_date=D(2025, 2, 1),
            end_date=None,
            return_interview_offered=None,
            return_interview_accepted=None,
        ),
        "provider": PlacementProvider.objects.create(
            name="Home Alpha", provider_type="PR4", postcode="AB1 2CD", recorded_by=worker
        ),
    }


# Actions with no page of their own: records from another system, which an import writes,
# and the many forms an import calls (ADR 0042).
ELSEWHERE: list[tuple[str, Permission, str, Arguments]] = [
    (
        "record_visits",
        VISIT,
        "",
        lambda t: {
            "child": t["child"],
            "visits": [actions.VisitDetails(FUTURE, child_seen=True, seen_alone=True, note="n")],
        },
    ),
    (
        "record_health_records",
        CARE,
        "",
        lambda t: {
            "child": t["child"],
            "events": [actions.HealthEvent(kind="sdq", event_date=FUTURE, sdq_score=3)],
        },
    ),
    (
        "record_review_elsewhere",
        CARE,
        "",
        lambda t: {
            "child": t["child"],
            "review_date": FUTURE,
            "participation": "PN1",
            "not_carried": "Not in the SSD extract imported from Mosaic.",
        },
    ),
]


def test_every_action_is_checked_here() -> None:
    kinds_of_value = {
        "Attendee",
        "HealthEvent",
        "HealthRefused",
        "PartialDate",
        "PlacementDetails",
        "Progress",
        "ReviewContent",
        "VisitDetails",
        "VisitRefused",
    }
    exported = {name for name in actions.__all__ if name not in kinds_of_value}
    assert {name for name, *_ in [*CASES, *ELSEWHERE]} == exported


@pytest.mark.parametrize(
    ("name", "permission", "url_name", "arguments"),
    [*CASES, *ELSEWHERE],
    ids=[case[0] for case in [*CASES, *ELSEWHERE]],
)
def test_each_action_needs_its_permission_before_anything_else(
    name: str,
    permission: Permission,
    url_name: str,
    arguments: Arguments,
    targets: dict[str, Any],
    make_user: Callable[..., User],
) -> None:
    action = getattr(actions, name)
    everything_else = holding(make_user, set(Permission) - {permission})
    written = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        action(acting_user=everything_else, **arguments(targets))
    assert AuditEvent.objects.count() == written
    only_that = holding(make_user, {permission})
    with pytest.raises(ValidationError):  # past the permission, refused for what was entered
        action(acting_user=only_that, **arguments(targets))


@pytest.mark.parametrize(
    ("url_name", "permission"), [(case[2], case[1]) for case in CASES], ids=[c[2] for c in CASES]
)
def test_each_page_declares_the_permission_of_its_action(
    url_name: str, permission: Permission
) -> None:
    [pattern] = [p for p in urls.urlpatterns if p.name == url_name]
    assert isinstance(pattern, URLPattern)
    assert declared_permission(pattern.callback) == permission


def test_a_page_refuses_a_user_without_its_permission_and_shows_no_link_to_it(
    client: Any, make_user: Callable[..., User], targets: dict[str, Any]
) -> None:
    child = targets["child"]
    record = reverse("lookedafter:record", kwargs={"person_id": child.pk})
    visits = reverse("lookedafter:visit-new", kwargs={"person_id": child.pk})
    plans = reverse("lookedafter:care-plan", kwargs={"person_id": child.pk})
    viewer = holding(make_user, {Permission.CHILD_VIEW, Permission.CHILD_VIEW_ALL, VISIT})
    client.force_login(viewer)
    body = client.get(record).content.decode()
    assert visits in body
    assert plans not in body
    assert client.get(visits).status_code == 200
    assert client.get(plans).status_code == 403
