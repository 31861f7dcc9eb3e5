"""Allocating a case: the current allocation ends, history is kept, audited; only
practitioners hold cases, and the page lists them team first with their caseloads."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor import actions
from caseline.apps.frontdoor.events import FrontdoorEvent
from caseline.apps.people.models import Allocation, Person
from tests.factories import AllocationFactory

D = datetime.date


def test_allocation_history(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    other = Team.objects.create(name="CIN Team Test", service=Team.Service.CHILDREN_IN_NEED)
    second_worker = make_user(Role.SOCIAL_WORKER, team=other)
    first = actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 18)
    )
    second = actions.allocate_case(
        acting_user=manager,
        child=child,
        team=team,
        worker=worker,
        start_date=D(2025, 4, 22),
        change_reason="FCONTA",
        reason="Allocated for assessment",
    )
    third = actions.allocate_case(
        acting_user=manager,
        child=child,
        team=other,
        worker=second_worker,
        start_date=D(2025, 6, 2),
        change_reason="TSPROC",
        reason="Transfer to CIN team",
    )
    rows = list(Allocation.objects.filter(person=child).order_by("start_date"))
    assert [(a.pk, a.start_date, a.end_date) for a in rows] == [
        (first.pk, D(2025, 4, 18), D(2025, 4, 22)),
        (second.pk, D(2025, 4, 22), D(2025, 6, 2)),
        (third.pk, D(2025, 6, 2), None),
    ]
    assert third.allocated_by == manager
    events = AuditEvent.objects.filter(event_type=FrontdoorEvent.CASE_ALLOCATED).order_by("id")
    assert [e.subject_person_id for e in events] == [child.pk] * 3
    assert events[2].extra == {"ended_allocation": {"id": second.pk, "end_date": "2025-06-02"}}


def test_allocation_validations(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    outsider = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError, match="is not a member of Assessment Team Test"):
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=outsider, start_date=D(2025, 4, 18)
        )
    gone = make_user(Role.SOCIAL_WORKER, team=team, is_active=False)
    with pytest.raises(ValidationError, match="not an active user"):
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=gone, start_date=D(2025, 4, 18)
        )
    actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 18)
    )
    with pytest.raises(ValidationError) as caught:
        actions.allocate_case(
            acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 4, 1)
        )
    assert set(caught.value.message_dict) == {"start_date", "worker"}
    assert Allocation.objects.filter(person=child, end_date__isnull=True).count() == 1


# --- The allocation page's list of workers ------------------------------------------------------


def _day(day: datetime.date) -> dict[str, str]:
    return {
        "start_date_day": str(day.day),
        "start_date_month": str(day.month),
        "start_date_year": str(day.year),
    }


def _options(html: str) -> list[tuple[str, list[str]]]:
    """The worker list's groups and options, as the page gives them."""
    select = re.search(r'<select name="worker".*?</select>', html, re.S)
    assert select is not None
    groups = []
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select[0], re.S):
        groups.append((label, re.findall(r"<option[^>]*>([^<]*)</option>", body)))
    return groups


def test_the_allocation_page_lists_practitioners_team_first_with_caseloads(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    other = Team.objects.create(name="CIN Team Test", service=Team.Service.CHILDREN_IN_NEED)
    zed = make_user(Role.SOCIAL_WORKER, team=team, first_name="Aaron", last_name="Zed")
    baker = make_user(Role.SOCIAL_WORKER, team=other, first_name="Zoe", last_name="Baker")
    lead = make_user(Role.TEAM_MANAGER, team=team, first_name="Tess", last_name="Manning")
    for role, name in [
        (Role.ANALYST, "Analyst"),
        (Role.SENIOR_LEADER, "Director"),
        (Role.ADMINISTRATOR, "Administrator"),
        (Role.FRONT_DOOR, "Frontdoor"),
    ]:
        make_user(role, team=team, first_name="Not", last_name=name)
    team.manager = manager
    team.save(update_fields=["manager"])
    AllocationFactory.create(team=other, worker=baker)
    actions.allocate_case(
        acting_user=manager,
        child=child,
        team=team,
        worker=zed,
        start_date=D(2025, 3, 1),
        change_reason="FCONTA",
    )
    client = Client()
    client.force_login(manager)
    url = reverse("frontdoor:allocate", args=[child.pk])
    page = client.get(url)
    html = page.content.decode()
    assert _options(html) == [
        ("Assessment Team Test", ["Tess Manning (no children)", "Aaron Zed (1 child)"]),
        ("Other teams", ["Zoe Baker, CIN Team Test (1 child)"]),
    ]
    for name in ("Analyst", "Director", "Administrator", "Frontdoor"):
        assert f"Not {name}" not in html
    # Reallocating starts from the current team and worker.
    form = page.context["form"]
    assert (form["team"].value(), form["worker"].value()) == (team.pk, zed.pk)
    assert re.search(rf'<option value="{zed.pk}" selected>Aaron Zed', html)
    # A team chosen (here after an error) puts its own practitioners first; a practitioner
    # in no team (Tam Lead, the manager here) is never listed, as they cannot be allocated.
    posted = client.post(url, {"team": other.pk, "worker": lead.pk, **_day(D(2025, 4, 1))})
    assert posted.status_code == 400
    assert _options(posted.content.decode()) == [
        ("CIN Team Test", ["Zoe Baker (1 child)"]),
        (
            "Other teams",
            [
                "Tess Manning, Assessment Team Test (no children)",
                "Aaron Zed, Assessment Team Test (1 child)",
            ],
        ),
    ]
    assert "is not a member of CIN Team Test" in posted.content.decode()
    ok = client.post(
        url,
        {"team": team.pk, "worker": lead.pk, "change_reason": "MANAGE", **_day(D(2025, 4, 1))},
    )
    assert ok.status_code == 302
    # Someone who cannot hold cases is refused if posted all the same.
    analyst = User.objects.get(last_name="Analyst")
    refused = client.post(url, {"team": team.pk, "worker": analyst.pk, **_day(D(2025, 4, 2))})
    assert refused.status_code == 400
    assert "Select a social worker or team manager from the list" in refused.content.decode()


def test_allocation_to_someone_who_cannot_hold_cases_is_refused(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.FRONT_DOOR, Role.IRO):
        staff = make_user(role, team=team)
        with pytest.raises(ValidationError) as caught:
            actions.allocate_case(
                acting_user=manager,
                child=child,
                team=team,
                worker=staff,
                start_date=D(2025, 4, 1),
                change_reason="FCONTA",
            )
        assert caught.value.message_dict == {
            "worker": ["Test User cannot hold cases: choose a social worker or team manager"]
        }
    assert not Allocation.objects.filter(person=child).exists()


def test_only_teams_that_hold_cases_are_offered_or_allowed(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    reviewing = Team.objects.create(name="Reviewing Test", service=Team.Service.REVIEWING)
    quality = Team.objects.create(name="Quality Test", service=Team.Service.QUALITY)
    team.manager = manager
    team.save(update_fields=["manager"])
    actions.allocate_case(
        acting_user=manager, child=child, team=team, worker=None, start_date=D(2025, 3, 1)
    )
    client = Client()
    client.force_login(manager)
    url = reverse("frontdoor:allocate", args=[child.pk])
    html = client.get(url).content.decode()
    # Not "allocated to no worker, Assessment Team Test".
    assert (
        "Currently allocated to Assessment Team Test, with no worker yet, since 1 March 2025"
        in html
    )
    assert "Reviewing Test" not in html
    assert "Quality Test" not in html
    posted = client.post(url, {"team": quality.pk, **_day(D(2025, 4, 1))})
    assert posted.status_code == 400
    assert "Select a team that holds children&#x27;s cases" in posted.content.decode()
    with pytest.raises(ValidationError) as caught:
        actions.allocate_case(
            acting_user=manager, child=child, team=reviewing, worker=None, start_date=D(2025, 4, 1)
        )
    assert caught.value.message_dict == {
        "team": ["Reviewing Test does not hold children's cases: choose another team"]
    }


def test_ending_an_allocation_with_none_after_it(
    child: Person, manager: User, team: Team, make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    held = actions.allocate_case(
        acting_user=manager,
        child=child,
        team=team,
        worker=worker,
        start_date=D(2025, 4, 22),
        change_reason="FCONTA",
    )
    with pytest.raises(ValidationError, match="on or after its start"):
        actions.end_allocation(acting_user=manager, allocation=held, end_date=D(2025, 4, 1))
    actions.end_allocation(acting_user=manager, allocation=held, end_date=D(2025, 5, 30))
    held.refresh_from_db()
    assert held.end_date == D(2025, 5, 30)
    event = AuditEvent.objects.get(event_type=FrontdoorEvent.ALLOCATION_ENDED)
    assert event.subject_person_id == child.pk
    with pytest.raises(ValidationError, match="The allocation ended on"):
        actions.end_allocation(acting_user=manager, allocation=held, end_date=D(2025, 6, 1))
