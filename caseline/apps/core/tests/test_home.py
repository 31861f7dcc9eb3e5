"""Each demo user signs in and sees the home page for their role."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.demo import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import ROLE_PERMISSIONS, Permission, Role
from caseline.apps.core.home import HOME_BY_ROLE

EXPECTED_HEADING = {home.role: home.heading for home in HOME_BY_ROLE}


@pytest.fixture
def demo_users(db: None) -> None:
    ensure_demo_users()


def test_there_is_one_demo_user_per_role() -> None:
    assert sorted(u.role for u in DEMO_USERS) == sorted(Role)
    assert [u.username for u in DEMO_USERS] == [
        "front.door",
        "social.worker",
        "team.manager",
        "iro",
        "analyst",
        "qa.lead",
        "director",
        "admin",
        "lado",
        "complaints",
    ]


def test_demo_users_are_created_once(demo_users: None) -> None:
    ensure_demo_users()
    assert User.objects.filter(username__in=[u.username for u in DEMO_USERS]).count() == len(
        DEMO_USERS
    )


@pytest.mark.parametrize("demo", DEMO_USERS, ids=lambda d: d.username)
def test_each_demo_user_signs_in_to_their_home(
    client: Client, demo_users: None, demo: object
) -> None:
    username = demo.username  # type: ignore[attr-defined]
    role = demo.role  # type: ignore[attr-defined]
    response = client.post(
        "/accounts/sign-in/", {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<h2 class="govuk-heading-m" id="section-1">{EXPECTED_HEADING[role]}</h2>' in body
    other_headings = {h for r, h in EXPECTED_HEADING.items() if r != role} - {
        EXPECTED_HEADING[role]
    }
    for heading in other_headings:
        assert f">{heading}</h2>" not in body


def test_work_not_built_yet_says_so(client: Client, demo_users: None) -> None:
    client.force_login(User.objects.get(username="analyst"))
    body = client.get("/").content.decode()
    assert "Not built yet" in body
    assert "Statutory returns" in body


def test_navigation_follows_permissions(client: Client, demo_users: None) -> None:
    client.force_login(User.objects.get(username="admin"))
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.logout()
    client.force_login(User.objects.get(username="social.worker"))
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_roles_hold_exactly_their_catalogue_permissions(demo_users: None) -> None:
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        held = {p for p in Permission if user.has_perm(p.django_name)}
        assert held == set(ROLE_PERMISSIONS[demo.role]), demo.username


def test_only_administrators_read_the_audit_trail() -> None:
    holders = {r for r, perms in ROLE_PERMISSIONS.items() if Permission.AUDIT_LOG_VIEW in perms}
    assert holders == {Role.ADMINISTRATOR}


def test_health_check_is_public_and_says_little(client: Client, db: None) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# Each role's own work pages, and the permission that makes a page the role's own: My work
# for those who hold children's cases, the team page for managers, the chair's page for chairs.
OWN_WORK_PAGES = {
    "mywork:mine": Permission.ASSESSMENT_RECORD,
    "mywork:team": Permission.CASE_ALLOCATE,
    "mywork:chair": Permission.CONFERENCE_CHAIR,
    "assessments:awaiting-authorisation": Permission.ASSESSMENT_AUTHORISE,
    "frontdoor:contacts": Permission.CONTACT_DECIDE,
}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name)
def test_each_role_reaches_its_own_work_pages_from_home(
    client: Client, make_user: Any, role: Role
) -> None:
    # The team manager's home had two links and no way to My work.
    client.force_login(make_user(role))
    main = client.get("/").content.decode().split('id="main-content"', 1)[1]
    links = set(re.findall(r'href="([^"#?]+)"', main))
    for name, permission in OWN_WORK_PAGES.items():
        if permission in ROLE_PERMISSIONS[role]:
            assert reverse(name) in links, f"{role} has no link to {name}"
    # Every link home offers opens for the role (no page that answers with a bare 403).
    for href in links:
        assert client.get(href).status_code == 200, href
