"""The access matrix: every role, every URL pattern, and a child the role may see, one it may
not, and a restricted one. Each response has the status the role's permissions and the
record-level rules call for, and no page shows the name of a child hidden from the role.

The URLs come from the URLconf (the resolver is walked, as ``test_urls_closed`` does), so a
new page is in the matrix the day it is added; a URL with a parameter this test does not know
how to fill fails :func:`test_every_url_parameter_has_a_filler` until one is added here.

Speed (CI runs this on both databases): the data is built once for the class
(``setUpTestData``); a role without a page's permission is asked once (a refusal comes before
any record is read); only GET is sent. Docs: docs/permissions.md, "The access matrix".
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import ROLE_PERMISSIONS, Permission, Role
from caseline.apps.chronology.tests.builders import Cast, build_child_with_every_event
from caseline.apps.core.access import declared_permission

# Pages anyone may reach, the sign-in steps among them: nothing about a child.
from caseline.apps.core.tests.test_urls_closed import PUBLIC
from caseline.apps.frontdoor.models import ContactPerson
from caseline.apps.people import actions as people_actions
from caseline.apps.people.actions import SEARCH_KEY_FIELDS, _set_search_keys
from caseline.apps.people.models import Person, Relationship
from caseline.apps.people.queries import visible_among
from tests.factories import AllocationFactory, TeamFactory, UserFactory

# How each URL parameter is filled. ``person_id`` is the child under test; every other id is
# a sample (an object of that id may or may not exist, and may belong to any child: either
# way, the page must not show a hidden child). A new parameter needs a line here.
SAMPLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "pk",
            "action_id",
            "address_id",
            "alert_id",
            "allegation_id",
            "assignment_id",
            "arrangement_id",
            "assessment_id",
            "audit_id",
            "challenge_id",
            "complaint_id",
            "conference_id",
            "decision_id",
            "entry_id",
            "enquiry_id",
            "episode_id",
            "evaluation_id",
            "hold_id",
            "import_id",
            "key_id",
            "inspection_id",
            "membership_id",
            "missing_id",
            "note_id",
            "order_id",
            "outcome_id",
            "plan_id",
            "proceedings_id",
            "provider_id",
            "redaction_id",
            "relationship_id",
            "request_id",
            "review_id",
            "round_id",
            "run_id",
            "survey_id",
            "tool_id",
            "transfer_id",
            "user_id",
            "visit_id",
        ),
        "1",
    ),
    "code": "CLA1",
    "band": "referral",  # a band of the child's journey
    "fmt": "csv",
    "what": "unlock",  # a user account's action (POST only)
}


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # the path with "{person_id}" where the child goes
    callback: Any
    parameters: frozenset[str]

    @property
    def about_a_child(self) -> bool:
        return "person_id" in self.parameters

    def path(self, person_id: int) -> str:
        return self.template.replace("{person_id}", str(person_id))


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            continue
        template = "/" + prefix + str(pattern.pattern)
        names = set(getattr(pattern.pattern, "converters", {}))
        for name in names:
            value = "{person_id}" if name == "person_id" else SAMPLES.get(name, "1")
            template = re.sub(rf"<(\w+:)?{name}>", value, template)
        yield Route(f"{ns}{pattern.name}", template, pattern.callback, frozenset(names))


ROUTES = [route for route in _walk(get_resolver().url_patterns) if route.name not in PUBLIC]


def test_every_url_parameter_has_a_filler() -> None:
    """A URL with a parameter the matrix cannot fill would be asked with a guess: fail it."""
    unknown = {
        (route.name, name)
        for route in ROUTES
        for name in route.parameters
        if name != "person_id" and name not in SAMPLES
    }
    assert not unknown, f"add these URL parameters to SAMPLES: {sorted(unknown)}"
    assert len(ROUTES) > 200  # the walk found the URLconf


# Pages with a rule of their own beyond the permission and the child's visibility, so that a
# role may be refused (403) a child it may see.
OWN_RULES = {
    "recording:note-amend": "only a note's author amends it (the sample note is not theirs)",
}
# Pages a second permission also opens (the view's dispatch says so).
ALSO_OPENED_BY = {
    "protection:strategy-compliance": Permission.INDICATORS_VIEW,
}
# Pages that search: each is also asked for every child by surname (the relationships page's
# search for someone to relate, too). The page repeats what was searched for, so there the
# test is that no hidden child's record is linked.
SEARCHES = {"people:search", "people:relationships"}

# The one page about a restricted child that answers 200 to those outside the restriction:
# the offer to break the glass, which names no child.
BREAK_THE_GLASS = "people:break-the-glass"


# Children's names, distinctive so that finding one in a page cannot be chance.
SEEN = ("Vesna", "Seenfield")
HIDDEN = ("Hedda", "Hiddenfield")
RESTRICTED = ("Rhea", "Restrictfield")


def _rename(child: Person, names: tuple[str, str]) -> Person:
    """Give the child their distinctive name, with the search keys the actions keep."""
    child.given_name, child.family_name = names
    _set_search_keys(child)
    child.save(update_fields=["given_name", "family_name", *SEARCH_KEY_FIELDS])
    return child


class AccessMatrixTest(TestCase):
    """One test: the whole matrix, every failure listed at the end."""

    users: ClassVar[dict[Role, User]]
    children: ClassVar[dict[str, Person]]

    @classmethod
    def setUpTestData(cls) -> None:
        home = TeamFactory.create(name="Matrix Home Team")
        away = TeamFactory.create(name="Matrix Away Team")
        cls.users = {}
        for role in Role:
            team: Team | None = home if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER) else None
            cls.users[role] = UserFactory.create(
                username=f"matrix-{role.name.lower()}",
                roles=[role],
                team=team,
                manages=home if role == Role.TEAM_MANAGER else None,
            )
        away_worker = UserFactory.create(
            username="matrix-away-worker", roles=[Role.SOCIAL_WORKER], team=away
        )
        home_cast = Cast(
            front_door=cls.users[Role.FRONT_DOOR],
            worker=cls.users[Role.SOCIAL_WORKER],
            manager=cls.users[Role.TEAM_MANAGER],
            team=home,
        )
        # The seen child and the restricted one have every kind of record (so every list,
        # section and indicator has something of theirs), on the home team's books; the
        # restricted one is the seen one's sibling, so the seen child's pages name a relative.
        seen, _ = build_child_with_every_event(home_cast)
        restricted, _ = build_child_with_every_event(home_cast)
        seen = _rename(seen, SEEN)
        restricted = _rename(restricted, RESTRICTED)
        people_actions.record_relationship(
            acting_user=home_cast.worker,
            person=seen,
            other=restricted,
            kind=Relationship.Kind.SIBLING,
        )
        # And on the seen child's first contact (a contact about both): the pages of contact 1,
        # the sample id, are asked.
        contact = ContactPerson.objects.filter(person=seen).earliest("contact_id").contact
        ContactPerson.objects.create(
            contact=contact, person=restricted, role=ContactPerson.Role.SUBJECT
        )
        # The hidden child is another team's.
        hidden = _rename(
            Person.objects.create(sex=Person.Sex.FEMALE, date_of_birth=datetime.date(2016, 3, 4)),
            HIDDEN,
        )
        AllocationFactory.create(person=hidden, team=away, worker=away_worker)
        # Restricted to one senior leader outside the matrix.
        restrictor = UserFactory.create(username="matrix-restrictor", roles=[Role.SENIOR_LEADER])
        people_actions.restrict_record(
            acting_user=restrictor,
            person=restricted,
            reason="Adoption",
            named_users=[restrictor],
        )
        cls.children = {"seen": seen, "hidden": hidden, "restricted": restricted}

    def _unseen(self, role: Role) -> dict[str, Person]:
        """The children this role must not be shown, from the permission catalogue."""
        held = ROLE_PERMISSIONS[role]
        unseen = {"restricted": self.children["restricted"]}
        if Permission.CHILD_VIEW_ALL not in held:
            unseen["hidden"] = self.children["hidden"]
        if Permission.CHILD_VIEW not in held:
            unseen["seen"] = self.children["seen"]
        return unseen

    def test_the_roles_see_the_children_the_catalogue_says(self) -> None:
        ids = {child.pk for child in self.children.values()}
        for role, user in self.users.items():
            expected = ids - {child.pk for child in self._unseen(role).values()}
            assert visible_among(user, ids) == expected, role

    def test_every_role_every_url_every_child(self) -> None:
        # Refusals and missing pages are expected by the thousand: don't log each one.
        logging.disable(logging.WARNING)
        try:
            failures = self._walk_the_matrix()
        finally:
            logging.disable(logging.NOTSET)
        assert not failures, "\n".join(failures)

    def _walk_the_matrix(self) -> list[str]:
        failures: list[str] = []
        clients = {}
        for role, user in self.users.items():
            client = Client()
            client.force_login(user)
            clients[role] = client
        for route in ROUTES:
            permission = declared_permission(route.callback)
            also = ALSO_OPENED_BY.get(route.name)
            for role, user in self.users.items():
                permitted = any(
                    p is not None and user.has_perm(p.django_name) for p in (permission, also)
                )
                if not route.about_a_child:
                    cases: list[tuple[str, str]] = [("", route.template)]
                elif permitted:
                    cases = [(key, route.path(child.pk)) for key, child in self.children.items()]
                else:  # refused before any record is read: once is enough
                    cases = [("restricted", route.path(self.children["restricted"].pk))]
                for key, path in cases:
                    asked = [path]
                    if route.name in SEARCHES and permitted:
                        asked += [
                            f"{path}?name={child.family_name}" for child in self.children.values()
                        ]
                    for one in asked:
                        failures += self._ask(clients[role], role, route, key, one, permitted)
        return failures

    def _ask(
        self, client: Client, role: Role, route: Route, key: str, path: str, permitted: bool
    ) -> list[str]:
        """Ask one page; what is wrong with the answer."""
        unseen = self._unseen(role)
        response = client.get(path)
        status = response.status_code
        where = f"{role.name} GET {path} ({route.name}, {key or 'no child'})"
        failures: list[str] = []
        if status >= 500:
            failures.append(f"{where}: {status}")
        if not permitted:
            if status != 403:
                failures.append(f"{where}: {status}, not 403 without the permission")
        elif route.name == BREAK_THE_GLASS and key in unseen and key == "restricted":
            if status != 200:
                failures.append(f"{where}: {status}, not the offer to break the glass")
        elif key in unseen and status not in (403, 404):
            failures.append(f"{where}: {status} for a child hidden from the role")
        elif key and key not in unseen and status == 403 and route.name not in OWN_RULES:
            failures.append(f"{where}: 403 for a child the role may see")
        body = _body(response)
        searched = path.partition("?name=")[2]
        for child in self.children.values():
            # The control: the search page finds a child the role may see (so the test can
            # fail). The relationships page searches only for those who may relate people.
            finds = searched == child.family_name and child not in unseen.values()
            finds = finds and route.name == "people:search"
            if finds and status == 200 and child.caseline_id not in body:
                failures.append(f"{where}: does not find {child.family_name}")
        for child in unseen.values():
            if searched:
                if f'href="/people/{child.pk}/"' in body or child.caseline_id in body:
                    failures.append(f"{where}: finds {child.family_name}")
            elif child.family_name in body:
                failures.append(f"{where}: shows {child.family_name}")
        return failures


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    content: bytes = response.content
    return content.decode(errors="replace")
