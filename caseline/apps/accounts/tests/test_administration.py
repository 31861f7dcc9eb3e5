"""The administrator's accounts pages, and a user's own password."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from caseline.apps.accounts.actions import create_team, create_user, give_role, join_team
from caseline.apps.accounts.models import RoleAssignment, Team, TeamMembership, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from tests.factories import TeamFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def administrator(make_user: Any) -> User:
    return make_user(Role.ADMINISTRATOR, username="ada.min", first_name="Ada")


@pytest.fixture
def worker(make_user: Any) -> User:
    return make_user(Role.SOCIAL_WORKER, username="sam.worth", email="sam@example.org")


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


def _roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_only_the_administrator_reaches_the_pages(client: Client, worker: User) -> None:
    client.force_login(worker)
    for url in (
        "/accounts/users/",
        "/accounts/users/new/",
        f"/accounts/users/{worker.pk}/",
        f"/accounts/users/{worker.pk}/change/",
        f"/accounts/users/{worker.pk}/roles/new/",
        f"/accounts/users/{worker.pk}/teams/new/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/accounts/users/{worker.pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=worker.pk).is_active


def test_the_list_shows_last_sign_in_and_locked_users(
    admin_client: Client, worker: User, django_assert_max_num_queries: Any
) -> None:
    User.objects.filter(pk=worker.pk).update(
        last_login=datetime(2026, 11, 30, 9, 15, tzinfo=ZoneInfo("Europe/London"))
    )
    AccessAttempt.objects.create(
        username="sam.worth",
        ip_address="127.0.0.1",
        user_agent="test",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/sign-in/",
    )
    with django_assert_max_num_queries(12):
        page = admin_client.get("/accounts/users/").content.decode()
    assert "30 Nov 2026 09:15" in page
    assert "Locked" in page


def test_the_administrator_adds_a_user_with_roles(
    admin_client: Client, administrator: User
) -> None:
    team = TeamFactory.create(name="Assessment North")
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "new.worker",
            "first_name": "Noor",
            "last_name": "Weaver",
            "email": "noor@example.org",
            "job_title": "Social worker",
            "team": team.pk,
            "roles": [Role.SOCIAL_WORKER.value],
            "password": "a long and unusual first password",
        },
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(username="new.worker")
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert _roles(user) == {Role.SOCIAL_WORKER.value}
    assert user.team == team
    assert user.check_password("a long and unusual first password")
    assert AuditEvent.objects.filter(
        event_type="account.user-created", acting_user_id=administrator.pk
    ).exists()


def test_a_common_first_password_is_refused(admin_client: Client) -> None:
    response = admin_client.post(
        "/accounts/users/new/",
        {
            "username": "new.worker",
            "first_name": "Noor",
            "last_name": "Weaver",
            "roles": [Role.SOCIAL_WORKER.value],
            "password": "1q2w3e4r5t6y7u",
        },
    )
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="new.worker").exists()


def test_changing_details_is_audited_and_refuses_a_stale_form(
    admin_client: Client, worker: User
) -> None:
    url = f"/accounts/users/{worker.pk}/change/"
    form = {
        "first_name": "Samira",
        "last_name": worker.last_name,
        "email": "samira@example.org",
        "job_title": "Senior social worker",
        "work_phone": "",
        "version": "1",
    }
    assert admin_client.post(url, form).status_code == 302
    worker.refresh_from_db()
    assert (worker.first_name, worker.version) == ("Samira", 2)
    event = AuditEvent.objects.filter(event_type="object.updated").latest("pk")
    assert event.new_values["first_name"] == "Samira"
    # The same form again, read at version 1, is now stale.
    stale = admin_client.post(url, {**form, "first_name": "Sam"})
    assert stale.status_code == 400
    assert "changed by someone else" in stale.content.decode()
    missing = admin_client.post(url, {k: v for k, v in form.items() if k != "version"})
    assert missing.status_code == 400
    worker.refresh_from_db()
    assert worker.first_name == "Samira"


def test_deactivating_stops_sign_in_and_reactivating_restores_it(
    admin_client: Client, worker: User, administrator: User
) -> None:
    assert admin_client.post(f"/accounts/users/{worker.pk}/deactivate/").status_code == 302
    assert not User.objects.get(pk=worker.pk).is_active
    other = Client()
    other.post("/accounts/sign-in/", {"username": "sam.worth", "password": PASSWORD})
    assert other.get("/").status_code == 302
    admin_client.post(f"/accounts/users/{worker.pk}/reactivate/")
    assert User.objects.get(pk=worker.pk).is_active
    kinds = list(
        AuditEvent.objects.filter(target_id=str(worker.pk))
        .filter(event_type__in=["account.user-deactivated", "account.user-reactivated"])
        .values_list("event_type", flat=True)
        .order_by("pk")
    )
    assert kinds == ["account.user-deactivated", "account.user-reactivated"]
    # The administrator cannot lock themself out.
    admin_client.post(f"/accounts/users/{administrator.pk}/deactivate/")
    administrator.refresh_from_db()
    assert administrator.is_active


def test_unlocking_lets_a_throttled_user_sign_in_at_once(
    admin_client: Client, worker: User
) -> None:
    other = Client()
    for _ in range(5):
        other.post("/accounts/sign-in/", {"username": "sam.worth", "password": "wrong"})
    locked = other.post("/accounts/sign-in/", {"username": "sam.worth", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Locked" in admin_client.get(f"/accounts/users/{worker.pk}/").content.decode()
    assert admin_client.post(f"/accounts/users/{worker.pk}/unlock/").status_code == 302
    signed_in = other.post("/accounts/sign-in/", {"username": "sam.worth", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert AuditEvent.objects.filter(
        event_type="account.user-unlocked", target_id=str(worker.pk)
    ).exists()


def test_a_role_given_from_today_applies_now_and_ends_on_its_day(
    admin_client: Client, worker: User, administrator: User
) -> None:
    today = timezone.localdate()
    response = admin_client.post(
        f"/accounts/users/{worker.pk}/roles/new/",
        {
            "role": Role.TEAM_MANAGER.value,
            "starts_on_day": today.day,
            "starts_on_month": today.month,
            "starts_on_year": today.year,
        },
    )
    assert response.status_code == 302, response.content
    assert Role.TEAM_MANAGER.value in _roles(worker)
    assignment = RoleAssignment.objects.get(user=worker)
    end = admin_client.post(
        f"/accounts/users/{worker.pk}/roles/{assignment.pk}/end/",
        {"ends_on_day": today.day, "ends_on_month": today.month, "ends_on_year": today.year},
    )
    assert end.status_code == 302
    # Held until the end of its last day, then taken away by the daily command.
    assert Role.TEAM_MANAGER.value in _roles(worker)
    out = StringIO()
    call_command("apply_access_dates", "--on", str(today + timedelta(days=1)), stdout=out)
    assert "1 users" in out.getvalue()
    assert _roles(worker) == {Role.SOCIAL_WORKER.value}
    assert AuditEvent.objects.filter(
        event_type="account.role-ended", acting_user_id=administrator.pk
    ).exists()


def test_a_role_given_from_a_later_day_waits_for_it(worker: User, administrator: User) -> None:
    start = date(2030, 1, 6)
    give_role(
        acting_user=administrator,
        user=worker,
        role=Role.IRO,
        starts_on=start,
        ends_on=date(2030, 3, 31),
    )
    assert Role.IRO.value not in _roles(worker)
    call_command("apply_access_dates", "--on", "2030-01-05", stdout=StringIO())
    assert Role.IRO.value not in _roles(worker)
    call_command("apply_access_dates", "--on", "2030-01-06", stdout=StringIO())
    assert Role.IRO.value in _roles(worker)
    call_command("apply_access_dates", "--on", "2030-04-01", stdout=StringIO())
    assert Role.IRO.value not in _roles(worker)
    # A role without dates (the social worker's, given before dates existed) is left alone.
    assert Role.SOCIAL_WORKER.value in _roles(worker)


def test_team_memberships_follow_their_dates(worker: User, administrator: User) -> None:
    north, south = (
        Team.objects.create(name="North", service="cin"),
        Team.objects.create(name="South", service="cin"),
    )
    join_team(
        acting_user=administrator,
        user=worker,
        team=north,
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 1, 31),
    )
    join_team(acting_user=administrator, user=worker, team=south, starts_on=date(2030, 2, 1))
    worker.refresh_from_db()
    assert worker.team == north
    call_command("apply_access_dates", "--on", "2030-02-01", stdout=StringIO())
    worker.refresh_from_db()
    assert worker.team == south
    assert TeamMembership.objects.filter(user=worker).count() == 2


def test_an_end_before_the_start_is_refused(admin_client: Client, worker: User) -> None:
    response = admin_client.post(
        f"/accounts/users/{worker.pk}/teams/new/",
        {
            "team": TeamFactory.create().pk,
            "starts_on_day": "10",
            "starts_on_month": "3",
            "starts_on_year": "2026",
            "ends_on_day": "9",
            "ends_on_month": "3",
            "ends_on_year": "2026",
        },
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start" in response.content.decode()
    assert not TeamMembership.objects.exists()


def test_users_change_their_own_password(client: Client, worker: User) -> None:
    client.force_login(worker)
    url = "/accounts/security/password/"
    assert client.get(url).status_code == 200
    common = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password": "1q2w3e4r5t6y7u",
            "new_password_again": "1q2w3e4r5t6y7u",
        },
    )
    assert common.status_code == 400
    assert "This password is too common." in common.content.decode()
    wrong = client.post(
        url,
        {
            "old_password": "not it",
            "new_password": "a long and unusual new password",
            "new_password_again": "a long and unusual new password",
        },
    )
    assert wrong.status_code == 400
    changed = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password": "a long and unusual new password",
            "new_password_again": "a long and unusual new password",
        },
    )
    assert changed.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password("a long and unusual new password")
    # Still signed in here.
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        event_type="account.password-changed", acting_user_id=worker.pk
    ).exists()


def test_apply_access_dates_refuses_a_day_that_is_not_a_date() -> None:
    with pytest.raises(
        CommandError, match=r"--on must be a date like 2026-03-31, not '2026-13-01'"
    ):
        call_command("apply_access_dates", "--on", "2026-13-01", stdout=StringIO())


def test_creating_a_team_is_audited_and_a_name_is_used_once(administrator: User) -> None:
    team = create_team(acting_user=administrator, name=" North ", service=Team.Service.ASSESSMENT)
    assert (team.name, team.service) == ("North", Team.Service.ASSESSMENT)
    assert AuditEvent.objects.filter(event_type="account.team-created").count() == 1
    with pytest.raises(ValidationError, match="There is already a team North"):
        create_team(acting_user=administrator, name="North", service=Team.Service.ASSESSMENT)


def test_an_account_made_with_no_password_cannot_sign_in_with_one(administrator: User) -> None:
    user = create_user(
        acting_user=administrator,
        username="imported.worker",
        password=None,
        first_name="Imp",
        last_name="Orted",
        roles=[Role.SOCIAL_WORKER],
    )
    assert not user.has_usable_password()
