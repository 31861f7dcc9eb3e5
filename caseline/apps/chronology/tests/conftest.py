"""The staff who work with the chronology tests' children."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.chronology.tests.builders import Cast


@pytest.fixture
def cast(make_user: Callable[..., User]) -> Cast:
    team = Team.objects.create(name="Assessment Team Chrono", service=Team.Service.ASSESSMENT)
    manager = make_user(
        Role.TEAM_MANAGER, username="tm", first_name="Tess", last_name="Manning", team=team
    )
    team.manager = manager
    team.save(update_fields=["manager"])
    return Cast(
        front_door=make_user(Role.FRONT_DOOR, username="fd", first_name="Fran", last_name="Door"),
        worker=make_user(
            Role.SOCIAL_WORKER, username="sw", first_name="Sam", last_name="Worth", team=team
        ),
        manager=manager,
        team=team,
    )
