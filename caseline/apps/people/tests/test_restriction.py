"""Restricted records (ADR 0030): hidden everywhere from all but the named users, opened by
breaking the glass with a reason, which is audited and alerts the record's worker."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.genogram.family import build_family, mask_restricted
from caseline.apps.people import actions
from caseline.apps.people.events import PeopleEvent
from caseline.apps.people.models import GlassBreak, Person, Relationship
from caseline.apps.people.queries import (
    RecordRestricted,
    get_person_for_user,
    hidden_among,
    restricted_records_opened,
    visible_among,
    visible_people,
)
from caseline.apps.people.search import SearchCriteria, search_people
from caseline.apps.people.views import relatives_households
from caseline.apps.returns.queries import names_of as returns_names_of

pytestmark = pytest.mark.django_db

NAME = "Restrictfield"


@pytest.fixture
def cast(make_user: Callable[..., User], team: Team) -> dict[str, User]:
    return {
        "worker": make_user(Role.SOCIAL_WORKER, username="rw", team=team),
        "colleague": make_user(Role.SOCIAL_WORKER, username="rc", team=team),
        "manager": make_user(Role.TEAM_MANAGER, username="rm", team=team, manages=team),
        "leader": make_user(Role.SENIOR_LEADER, username="rl"),
        "front_door": make_user(Role.FRONT_DOOR, username="rf"),
        "admin": make_user(Role.ADMINISTRATOR, username="ra"),
    }


@pytest.fixture
def child(
    make_person: Callable[..., Person], allocate: Callable[..., object], cast: dict[str, User]
) -> Person:
    person = make_person("Rhea", NAME)
    allocate(person, cast["worker"])
    return person


@pytest.fixture
def sibling(
    make_person: Callable[..., Person],
    allocate: Callable[..., object],
    cast: dict[str, User],
    child: Person,
) -> Person:
    person = make_person("Sol", "Seenfield")
    allocate(person, cast["worker"])
    actions.record_relationship(
        acting_user=cast["worker"], person=person, other=child, kind=Relationship.Kind.SIBLING
    )
    return person


def restrict(cast: dict[str, User], child: Person, *named: str) -> None:
    actions.restrict_record(
        acting_user=cast["manager"],
        person=child,
        reason="Adoption",
        named_users=[cast[name] for name in named],
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_restricted_child_is_hidden_from_everyone_not_named(
    cast: dict[str, User], child: Person
) -> None:
    everyone = ("worker", "colleague", "leader", "front_door")
    assert all(visible_among(cast[name], [child.pk]) == {child.pk} for name in everyone)
    restrict(cast, child, "worker")
    assert visible_among(cast["worker"], [child.pk]) == {child.pk}
    assert visible_among(cast["manager"], [child.pk]) == {child.pk}  # who set it
    for name in ("colleague", "leader", "front_door"):
        assert visible_among(cast[name], [child.pk]) == set(), name
        assert not visible_people(cast[name]).filter(pk=child.pk).exists(), name
        with pytest.raises(RecordRestricted):
            get_person_for_user(cast[name], child.pk)
    # Someone who would never see the child is refused as before, offered nothing.
    with pytest.raises(PermissionDenied) as refused:
        get_person_for_user(cast["admin"], child.pk)
    assert not isinstance(refused.value, RecordRestricted)


def test_a_named_user_outside_the_caseload_sees_the_child(
    cast: dict[str, User], child: Person, make_user: Callable[..., User]
) -> None:
    elsewhere = make_user(Role.SOCIAL_WORKER, username="elsewhere")
    assert visible_among(elsewhere, [child.pk]) == set()
    restrict(cast, child, "worker")
    actions.change_named_users(
        acting_user=cast["manager"],
        restriction=child.restrictions.get(),
        named_users=[cast["worker"], elsewhere],
    )
    assert visible_among(elsewhere, [child.pk]) == {child.pk}
    [event] = AuditEvent.objects.filter(event_type=PeopleEvent.RESTRICTION_CHANGED)
    assert event.old_values == {"named_users": ["rm", "rw"]}
    assert event.new_values == {"named_users": ["elsewhere", "rm", "rw"]}


def test_the_record_page_refuses_and_offers_to_break_the_glass_without_a_name(
    cast: dict[str, User], child: Person
) -> None:
    restrict(cast, child)
    response = client_for(cast["colleague"]).get(reverse("people:record", args=[child.pk]))
    assert response.status_code == 403
    assert "This record is restricted" in response.text
    assert reverse("people:break-the-glass", args=[child.pk]) in response.text
    assert NAME not in response.text
    named = client_for(cast["manager"]).get(reverse("people:record", args=[child.pk]))
    assert named.status_code == 200
    assert "Restricted record" in named.text  # the banner


def test_searches_lists_and_relatives_leave_the_child_out(
    cast: dict[str, User], child: Person, sibling: Person
) -> None:
    restrict(cast, child)
    colleague = cast["colleague"]
    found = search_people(colleague, SearchCriteria(name=f"Rhea {NAME}"), limit=20)
    assert [r.person.pk for r in found] == []
    front_door_found = search_people(
        cast["front_door"], SearchCriteria(name=f"Rhea {NAME}"), limit=20
    )
    assert [r.person.pk for r in front_door_found] == []
    relatives = client_for(colleague).get(reverse("people:relationships", args=[sibling.pk]))
    assert relatives.status_code == 200
    assert NAME not in relatives.text
    assert "Restricted record" in relatives.text
    genogram = client_for(colleague).get(reverse("genogram:record", args=[sibling.pk]))
    assert genogram.status_code == 200
    assert NAME not in genogram.text
    family = mask_restricted(build_family(sibling), {child.pk})
    assert family.members[child.pk].name == "Restricted record"
    assert relatives_households(sibling, colleague) == []
    # A return's findings still list the child (the return counts every child), unnamed.
    assert returns_names_of(colleague, [child.pk]) == {child.pk: "Restricted record"}
    assert returns_names_of(cast["manager"], [child.pk]) == {child.pk: f"Rhea {NAME}"}
    # The worker's My work no longer counts the child (they are not named).
    my_work = client_for(cast["worker"]).get(reverse("mywork:mine"))
    assert NAME not in my_work.text
    team = client_for(cast["manager"]).get(reverse("mywork:team"))
    assert NAME in team.text  # named: they set it
    restrict_lifted = child.restrictions.get()
    actions.lift_restriction(
        acting_user=cast["manager"], restriction=restrict_lifted, reason="Order made"
    )
    assert visible_among(colleague, [child.pk]) == {child.pk}


def test_breaking_the_glass_is_audited_alerts_the_worker_and_opens_the_record(
    cast: dict[str, User], child: Person
) -> None:
    restrict(cast, child)  # the manager only: the worker is not named
    colleague = client_for(cast["colleague"])
    url = reverse("people:break-the-glass", args=[child.pk])
    refused = colleague.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Enter the reason" in refused.text
    assert not GlassBreak.objects.exists()
    opened = colleague.post(url, {"reason": "Duty call about the child's safety"})
    assert opened.status_code == 302
    assert opened["Location"] == reverse("people:record", args=[child.pk])
    assert colleague.get(opened["Location"]).status_code == 200
    [event] = AuditEvent.objects.filter(event_type=PeopleEvent.GLASS_BROKEN)
    assert event.subject_person_id == child.pk
    assert event.acting_user_id == cast["colleague"].pk
    assert event.new_values == {"reason": "Duty call about the child's safety"}
    # The manager (who set it) sees who opened it, with the child named; the allocated
    # worker, not named on the restriction, is told a restricted record was opened.
    [for_manager] = restricted_records_opened(cast["manager"])
    assert for_manager.person == child
    assert for_manager.glass_break.user == cast["colleague"]
    [for_worker] = restricted_records_opened(cast["worker"])
    assert for_worker.person is None
    page = client_for(cast["worker"]).get(reverse("mywork:mine"))
    assert "Restricted records opened by others" in page.text
    assert "Duty call about the child&#x27;s safety" in page.text
    assert NAME not in page.text
    assert restricted_records_opened(cast["colleague"]) == []


def test_the_glass_is_not_for_those_who_would_never_see_the_child(
    cast: dict[str, User], child: Person
) -> None:
    restrict(cast, child)
    with pytest.raises(PermissionDenied):
        actions.break_the_glass(acting_user=cast["admin"], person=child, reason="Curious")
    response = client_for(cast["admin"]).get(reverse("people:break-the-glass", args=[child.pk]))
    assert response.status_code == 403
    assert "This record is restricted" not in response.text


def test_only_team_managers_and_senior_leaders_restrict(
    cast: dict[str, User], child: Person
) -> None:
    with pytest.raises(PermissionDenied):
        actions.restrict_record(
            acting_user=cast["worker"], person=child, reason="Staff child", named_users=[]
        )
    response = client_for(cast["worker"]).get(reverse("people:restriction", args=[child.pk]))
    assert response.status_code == 403
    page = client_for(cast["leader"]).post(
        reverse("people:restriction", args=[child.pk]),
        {"reason": "Child of a member of staff", "named_users": [cast["worker"].pk]},
    )
    assert page.status_code == 302
    restriction = child.restrictions.get()
    assert set(restriction.named_users.all()) == {cast["worker"], cast["leader"]}
    [event] = AuditEvent.objects.filter(event_type=PeopleEvent.RECORD_RESTRICTED)
    assert event.new_values == {
        "reason": "Child of a member of staff",
        "named_users": ["rl", "rw"],
    }
    with pytest.raises(ValidationError):
        actions.restrict_record(
            acting_user=cast["leader"], person=child, reason="Again", named_users=[]
        )


def test_lifting_needs_a_reason_and_ends_the_glass_breaks(
    cast: dict[str, User], child: Person
) -> None:
    restrict(cast, child)
    actions.break_the_glass(acting_user=cast["colleague"], person=child, reason="Visit today")
    restriction = child.restrictions.get()
    with pytest.raises(ValidationError):
        actions.lift_restriction(acting_user=cast["manager"], restriction=restriction, reason="")
    lift = client_for(cast["manager"]).post(
        reverse("people:restriction-lift", args=[child.pk]), {"reason": "Adoption order made"}
    )
    assert lift.status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None
    assert restriction.lift_reason == "Adoption order made"
    assert AuditEvent.objects.filter(event_type=PeopleEvent.RESTRICTION_LIFTED).count() == 1
    assert restricted_records_opened(cast["manager"]) == []
    # A new restriction starts afresh: the old glass break lets nobody through.
    restrict(cast, child)
    assert visible_among(cast["colleague"], [child.pk]) == set()


def test_a_merged_record_is_hidden_with_the_record_kept(
    cast: dict[str, User], child: Person, make_person: Callable[..., Person]
) -> None:
    duplicate = make_person("Rhea", NAME, date_of_birth=datetime.date(2015, 3, 27))
    Person.objects.filter(pk=duplicate.pk).update(merged_into=child)
    restrict(cast, child)
    assert visible_among(cast["front_door"], [duplicate.pk, child.pk]) == set()


def test_hidden_among_leaves_out_just_what_visible_among_does(
    cast: dict[str, User],
    child: Person,
    sibling: Person,
    make_person: Callable[..., Person],
    make_user: Callable[..., User],
) -> None:
    # For one who sees everyone (the leader, the front door, an analyst) the hidden are read
    # from the restrictions; for anyone else, from the ids: the two must always agree.
    cast["analyst"] = make_user(Role.ANALYST, username="ran")
    duplicate = make_person("Rhea", NAME, date_of_birth=datetime.date(2015, 3, 27))
    Person.objects.filter(pk=duplicate.pk).update(merged_into=child)
    stranger = make_person("Stan", "Elsewhere")
    ids = {child.pk, sibling.pk, duplicate.pk, stranger.pk}

    def agree() -> None:
        for name, user in cast.items():
            assert hidden_among(user, ids) == ids - visible_among(user, ids), name

    agree()
    assert hidden_among(cast["analyst"], ids) == set()
    restrict(cast, child, "worker", "analyst")
    agree()
    assert hidden_among(cast["analyst"], ids) == set()  # named
    assert hidden_among(cast["leader"], ids) == {child.pk, duplicate.pk}  # merged into it
    assert hidden_among(cast["leader"], [stranger.pk]) == set()
    actions.break_the_glass(acting_user=cast["leader"], person=child, reason="Duty call")
    agree()
    assert hidden_among(cast["leader"], ids) == set()
    actions.lift_restriction(
        acting_user=cast["manager"], restriction=child.restrictions.get(), reason="Order made"
    )
    restrict(cast, child)
    agree()
    assert hidden_among(cast["front_door"], ids) == {child.pk, duplicate.pk}
    assert hidden_among(cast["leader"], set()) == set()
