"""Test builders (factory_boy): the one place that knows how to make a team, a user in roles,
a person, and a child allocated to a team with an open referral.

Fixtures in the conftests are thin wrappers over these, so each app's tests keep their own
names and dates while the way rows are made lives here once. Call ``.create(...)`` (typed)
rather than the factory itself::

    worker = UserFactory.create(username="worker", roles=[Role.SOCIAL_WORKER], team=team)
    child = ChildFactory.create(team=team, worker=worker, referral_date=date(2025, 1, 6))

These write rows directly, without the actions or their audit events: they set up a state to
test from. A test of an action calls the action.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from factory.declarations import (
    Maybe,
    PostGeneration,
    RelatedFactory,
    SelfAttribute,
    Sequence,
    SubFactory,
)
from factory.django import DjangoModelFactory

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.accounts.roles import assign_role
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Allocation, Person

PASSWORD = "correct horse battery staple"  # every test user's; not a secret
START = datetime.date(2025, 1, 6)  # a Monday: the default allocation and referral date


class TeamFactory(DjangoModelFactory[Team]):
    """A team, by default an assessment team named "Team <n>"."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = Sequence(lambda n: f"Team {n}")
    service = Team.Service.ASSESSMENT


def _join_roles(user: User, create: bool, roles: Iterable[Role] | None, **kwargs: Any) -> None:
    for role in roles or ():
        assign_role(user, role)


def _manage_team(user: User, create: bool, team: Team | None, **kwargs: Any) -> None:
    if team is not None:
        team.manager = user
        team.save(update_fields=["manager"])


class UserFactory(DjangoModelFactory[User]):
    """A user with the test password, "Test User" unless named.

    ``roles=[Role.X, ...]`` puts them in those roles' groups; ``team=`` is the team they work
    in; ``manages=team`` makes them that team's manager (whether or not they work in it).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    # Not "user<n>", which the root conftest's make_user gives out in each test.
    username = Sequence(lambda n: f"factory-user-{n}")
    first_name = "Test"
    last_name = "User"
    password = PASSWORD
    roles = PostGeneration(_join_roles)
    manages = PostGeneration(_manage_team)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # create_user hashes the password, as signing in expects.
        return model_class.objects.create_user(*args, **kwargs)


class PersonFactory(DjangoModelFactory[Person]):
    """A person on the register: Ada Testchild, born 1 June 2015, unless told otherwise."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = "Ada"
    family_name = "Testchild"
    date_of_birth = datetime.date(2015, 6, 1)


class AllocationFactory(DjangoModelFactory[Allocation]):
    """An open allocation of a person to a team (and a worker, if given) from ``START``."""

    class Meta:
        model = Allocation

    person = SubFactory(PersonFactory)
    team = SubFactory(TeamFactory)
    worker = None
    start_date = START


class ReferralFactory(DjangoModelFactory[Referral]):
    """An open referral on ``START`` from source 1A (an individual)."""

    class Meta:
        model = Referral

    person = SubFactory(PersonFactory)
    referral_date = START
    source = "1A"
    opened_by = SubFactory(UserFactory)


class ChildFactory(PersonFactory):
    """A child on a team's books.

    - ``team=``: allocate the child to it from ``allocated_on`` (default ``START``), to
      ``worker`` if given (or to the team with no worker yet). No team, no allocation.
    - ``referral_date=``: open a referral on that date, by ``opened_by`` (default ``worker``,
      or a new user when there is none). No date, no referral.

    The allocation is made before the referral.
    """

    class Params:
        team: Team | None = None
        worker: User | None = None
        allocated_on = START
        referral_date: datetime.date | None = None
        opened_by = Maybe(
            "worker",
            yes_declaration=SelfAttribute("worker"),
            no_declaration=SubFactory(UserFactory),
        )

    allocation = Maybe(
        "team",
        yes_declaration=RelatedFactory(
            AllocationFactory,
            factory_related_name="person",
            team=SelfAttribute("..team"),
            worker=SelfAttribute("..worker"),
            start_date=SelfAttribute("..allocated_on"),
        ),
        no_declaration=None,
    )
    referral = Maybe(
        "referral_date",
        yes_declaration=RelatedFactory(
            ReferralFactory,
            factory_related_name="person",
            referral_date=SelfAttribute("..referral_date"),
            opened_by=SelfAttribute("..opened_by"),
        ),
        no_declaration=None,
    )
