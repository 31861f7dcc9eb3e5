"""Who can hold a child's case: the one list (and field) to allocate a case, or choose the
lead social worker of a plan, from: those who may record statutory visits."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission as DjangoPermission
from django.core.exceptions import ValidationError

from caseline.apps.accounts.forms import CaseHolderField
from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import ROLE_PERMISSIONS, Permission, Role
from caseline.apps.accounts.queries import (
    HOLDS_CASES,
    can_hold_cases,
    case_holders,
    caseload_label,
    in_team_first,
)
from tests.factories import AllocationFactory, TeamFactory

pytestmark = pytest.mark.django_db
MakeUser = Callable[..., User]


@pytest.fixture
def staff(make_user: MakeUser) -> dict[str, User]:
    """Two teams' practitioners, and people in other roles who never hold cases."""
    north = TeamFactory.create(name="Assessment Team North")
    south = TeamFactory.create(name="CIN Team South")
    return {
        "zara": make_user(Role.SOCIAL_WORKER, first_name="Aaron", last_name="Zed", team=north),
        "bea": make_user(Role.SOCIAL_WORKER, first_name="Zoe", last_name="Baker", team=south),
        "tess": make_user(Role.TEAM_MANAGER, first_name="Tess", last_name="Manning", team=north),
        "cal": make_user(Role.SOCIAL_WORKER, first_name="Cal", last_name="Cole", team=north),
        "analyst": make_user(Role.ANALYST, first_name="Ana", last_name="Lister", team=north),
        "director": make_user(Role.SENIOR_LEADER, first_name="Dee", last_name="Rector"),
        "admin": make_user(Role.ADMINISTRATOR, first_name="Adi", last_name="Minter", team=north),
        "iro": make_user(Role.IRO, first_name="Ira", last_name="Reeve", team=north),
        "front": make_user(Role.FRONT_DOOR, first_name="Fay", last_name="Ash", team=north),
        "qa": make_user(Role.QA_LEAD, first_name="Quinn", last_name="Ashby", team=north),
        "gone": make_user(
            Role.SOCIAL_WORKER, first_name="Gone", last_name="Away", team=north, is_active=False
        ),
    }


def test_only_practitioners_by_surname_with_their_caseload_now(
    staff: dict[str, User], django_assert_num_queries: Any
) -> None:
    north = staff["zara"].team
    for _ in range(3):
        AllocationFactory.create(team=north, worker=staff["zara"])
    AllocationFactory.create(team=north, worker=staff["tess"])
    AllocationFactory.create(
        team=north, worker=staff["tess"], end_date=datetime.date(2025, 2, 1)
    )  # ended: no longer theirs
    with django_assert_num_queries(1):
        holders = [
            (str(user), getattr(user, "caseload", None), str(user.team)) for user in case_holders()
        ]
    assert holders == [
        ("Zoe Baker", 0, "CIN Team South"),
        ("Cal Cole", 0, "Assessment Team North"),
        ("Tess Manning", 1, "Assessment Team North"),
        ("Aaron Zed", 3, "Assessment Team North"),
    ]
    assert [name for name, user in staff.items() if can_hold_cases(user)] == [
        "zara",
        "bea",
        "tess",
        "cal",
    ]


def test_holding_cases_is_the_permission_to_record_visits_not_a_role_name(
    staff: dict[str, User], make_user: MakeUser
) -> None:
    """The roles as shipped that may record visits are exactly the social worker and the team
    manager; anyone given the permission holds cases, and a superuser's blanket permissions
    do not make them a practitioner."""
    assert HOLDS_CASES is Permission.VISIT_RECORD
    assert {role for role, held in ROLE_PERMISSIONS.items() if HOLDS_CASES in held} == {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
    }
    given = make_user(first_name="Pat", last_name="Given")
    given.user_permissions.add(
        DjangoPermission.objects.get(
            codename=HOLDS_CASES.codename, content_type__app_label="accounts"
        )
    )
    root = make_user(first_name="Root", last_name="Admin", is_superuser=True)
    assert can_hold_cases(given)
    assert not can_hold_cases(root)
    holders = [str(user) for user in case_holders()]
    assert "Pat Given" in holders
    assert "Root Admin" not in holders
    assert not can_hold_cases(User(username="unsaved"))


def test_the_teams_own_come_first(staff: dict[str, User]) -> None:
    north = staff["zara"].team
    groups = in_team_first(case_holders(), north)
    assert [(name, [str(u) for u in users]) for name, users in groups] == [
        ("Assessment Team North", ["Cal Cole", "Tess Manning", "Aaron Zed"]),
        ("Other teams", ["Zoe Baker"]),
    ]
    empty = TeamFactory.create(name="Empty Team")
    assert [name for name, _ in in_team_first(case_holders(), empty)] == ["Other teams"]
    assert [name for name, _ in in_team_first(case_holders(), None)] == [None]


def test_labels_say_the_caseload_and_another_team(staff: dict[str, User]) -> None:
    north = staff["zara"].team
    AllocationFactory.create(team=north, worker=staff["cal"])
    by_name = {str(user): user for user in case_holders()}
    assert caseload_label(by_name["Cal Cole"], north) == "Cal Cole (1 child)"
    assert caseload_label(by_name["Zoe Baker"], north) == "Zoe Baker, CIN Team South (no children)"
    assert caseload_label(by_name["Cal Cole"]) == "Cal Cole, Assessment Team North (1 child)"
    for _ in range(2):
        AllocationFactory.create(team=north, worker=staff["cal"])
    assert caseload_label(case_holders().get(pk=staff["cal"].pk), north) == "Cal Cole (3 children)"


def test_the_field_groups_its_choices_and_refuses_anyone_else(staff: dict[str, User]) -> None:
    north = staff["zara"].team
    field = CaseHolderField(team=north, empty_label="Select a social worker", required=False)
    given: Any = field.choices
    choices = [
        (label, [str(text) for _, text in options])
        if isinstance(options, list)
        else (label, options)
        for label, options in given
    ]
    assert choices == [
        ("", "Select a social worker"),
        (
            "Assessment Team North",
            ["Cal Cole (no children)", "Tess Manning (no children)", "Aaron Zed (no children)"],
        ),
        ("Other teams", ["Zoe Baker, CIN Team South (no children)"]),
    ]
    assert field.clean(str(staff["tess"].pk)) == staff["tess"]
    for outsider in ("analyst", "director", "admin", "iro", "front", "qa", "gone"):
        with pytest.raises(ValidationError, match="Select a social worker or team manager"):
            field.clean(str(staff[outsider].pk))


def test_a_team_with_no_one_in_it(team: Team) -> None:
    assert list(case_holders()) == []
    assert in_team_first(case_holders(), team) == []


def test_someone_in_no_team_is_listed_with_the_others(
    staff: dict[str, User], make_user: MakeUser
) -> None:
    north = staff["zara"].team
    make_user(Role.SOCIAL_WORKER, first_name="Nell", last_name="Nowhere")
    groups = in_team_first(case_holders(), north)
    assert [(name, [str(u) for u in users]) for name, users in groups][1] == (
        "Other teams",
        ["Zoe Baker", "Nell Nowhere"],
    )


def test_the_field_takes_a_label_a_required_message_and_who_to_start_with(
    staff: dict[str, User],
) -> None:
    """As the lead social worker of a plan: the lead now chosen, the field's own message for
    anyone it does not offer kept beside the message given."""
    north = staff["zara"].team
    field = CaseHolderField(
        team=north,
        label="Lead social worker",
        initial=staff["cal"].pk,
        error_messages={"required": "Select the lead social worker"},
    )
    assert (field.label, field.initial) == ("Lead social worker", staff["cal"].pk)
    with pytest.raises(ValidationError, match="Select the lead social worker"):
        field.clean("")
    with pytest.raises(ValidationError, match="Select a social worker or team manager"):
        field.clean(str(staff["iro"].pk))
