"""Refused and missing pages are GOV.UK pages that say what happened and what to do."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role


@pytest.fixture
def analyst_client(make_user: Callable[..., User]) -> Client:
    client = Client()
    client.force_login(make_user(Role.ADMINISTRATOR))
    return client


def test_a_missing_page_has_the_service_shell_and_a_way_home(analyst_client: Client) -> None:
    response = analyst_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "govuk-service-navigation" in html
    assert 'href="/"' in html
    assert "<title>Page not found - Caseline</title>" in html


def test_a_refused_page_says_why_and_who_can_help(analyst_client: Client) -> None:
    response = analyst_client.get("/people/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html
    assert "ask your team manager or the system administrator" in html
    assert "govuk-service-navigation" in html


def test_the_icon_is_served_without_signing_in(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/dist/images/favicon.svg")
    page = client.get("/accounts/sign-in/")
    assert 'rel="icon" href="/static/dist/images/favicon.svg"' in page.content.decode()
