"""What each capability contributes to a child's record summary and to "what is due".

Apps register providers in their ``AppConfig.ready()``::

    from caseline.apps.people.summary import register_due_provider, register_summary_provider
    register_summary_provider(my_summary_blocks)
    register_due_provider(my_due_items)

The summary page and the identity bar call every provider; none of them stores anything.

Due work for many children at once (the "My work" pages) comes from *work providers*,
registered with ``register_work_provider(fn, replaces=my_due_items)``: ``fn(person_ids,
as_at)`` takes the people's ids and returns their due items in a bounded number of queries,
however many people there are. Providers filter with ``person_id__any_of=person_ids``
(``core.lookups``): the ids go to the database as one value, which a team's few hundred
children need on PostgreSQL, where a subquery of people in every provider's queries made
the planner start from the wrong table and Django prepare every id again for each query.
``replaces`` names the app's per-person due provider that gives the same items, so that
:func:`due_items` (one child) and :func:`work_items` (many) both use the one bulk
implementation.

An app that registers only a per-person due provider still appears in :func:`work_items`:
it is called once for each person (the *fallback*). That costs that provider's queries
times the number of people, so a page for a team of 200 children makes 200 times as many
queries for it; register a work provider to avoid it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from caseline.apps.people.models import Person
from caseline.apps.timescales.queries import standards_read_once
from caseline.apps.timescales.rules import Timeliness


@dataclass(frozen=True)
class SummaryBlock:
    """A titled block on the summary page, with label/value rows and optional link."""

    order: int  # lower comes first: 10 why involved, 20 assessment, 30 plan, 40 notes
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    link_text: str = ""
    link_href: str = ""


@dataclass(frozen=True)
class Badge:
    """A badge in the identity bar, e.g. "Child in need plan", "Child protection plan"."""

    text: str
    colour: str = "blue"  # a govuk-tag colour: blue, red, orange, green, purple, grey


@dataclass(frozen=True)
class DueItem:
    """A piece of statutory or locally required work for a child, due or overdue."""

    person_id: int
    title: str  # "Contact decision", "Assessment", "Child in need visit"
    rule_code: str  # the timescale rule's code
    timeliness: Timeliness
    href: str = ""  # where the work is done


SummaryProvider = Callable[[Person, datetime.date], list[SummaryBlock]]
BadgeProvider = Callable[[Person, datetime.date], list[Badge]]
DueProvider = Callable[[Person, datetime.date], list[DueItem]]
PersonIds = Sequence[int]
WorkProvider = Callable[[PersonIds, datetime.date], list[DueItem]]

_summary_providers: list[SummaryProvider] = []
_badge_providers: list[BadgeProvider] = []
_due_providers: list[DueProvider] = []
_work_providers: list[tuple[WorkProvider, DueProvider | None]] = []


def register_summary_provider(provider: SummaryProvider) -> None:
    if provider not in _summary_providers:
        _summary_providers.append(provider)


def register_badge_provider(provider: BadgeProvider) -> None:
    if provider not in _badge_providers:
        _badge_providers.append(provider)


def register_due_provider(provider: DueProvider) -> None:
    if provider not in _due_providers:
        _due_providers.append(provider)


def register_work_provider(provider: WorkProvider, *, replaces: DueProvider | None = None) -> None:
    """Register a bulk provider; ``replaces`` is the per-person provider it stands in for."""
    if all(provider is not registered for registered, _ in _work_providers):
        _work_providers.append((provider, replaces))


def _providers() -> tuple[list[WorkProvider], list[DueProvider]]:
    """The bulk providers to call, and the per-person providers no bulk one replaces.

    The registered due providers are the list of what is due; each one a work provider
    replaces is called in its bulk form. Work providers that replace nothing are added.
    """
    bulk = [w for w, replaced in _work_providers if replaced is None]
    single: list[DueProvider] = []
    for provider in _due_providers:
        work = next((w for w, r in _work_providers if r is provider), None)
        if work is None:
            single.append(provider)
        else:
            bulk.append(work)
    return bulk, single


def summary_blocks(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    blocks = [b for provider in _summary_providers for b in provider(person, as_at)]
    return sorted(blocks, key=lambda b: b.order)


def badges(person: Person, as_at: datetime.date) -> list[Badge]:
    return [b for provider in _badge_providers for b in provider(person, as_at)]


def due_items(person: Person, as_at: datetime.date) -> list[DueItem]:
    """Open (not completed) due work for the person, most urgent first.

    Work providers are called with this one person's id, so each rule has one
    implementation whether one child's record or a team's work is shown.
    """
    bulk, single = _providers()
    one = [person.pk]
    with standards_read_once():
        items = [i for provider in bulk for i in provider(one, as_at)]
        items += [i for provider in single for i in provider(person, as_at)]
    return sorted(items, key=lambda i: i.timeliness.due_date)


def work_items(people: QuerySet[Person] | Collection[int], as_at: datetime.date) -> list[DueItem]:
    """Open due work for every person in ``people`` (a queryset, or their ids), in no
    particular order.

    Work providers make a bounded number of queries whatever the number of people. Apps
    with only a per-person due provider are called once per person (see the module notes).
    """
    bulk, single = _providers()
    # Read who the people are once, and hand the providers their ids: a query with a
    # correlated condition (a caseload, a team) repeated inside every provider's query made
    # each of them scan the people table.
    if isinstance(people, QuerySet):
        ids: list[int] = list(people.values_list("pk", flat=True))
    else:
        ids = list(people)
    if not ids:
        return []
    with standards_read_once():
        items = [i for provider in bulk for i in provider(ids, as_at)]
        if single:
            for person in Person.objects.filter(pk__any_of=ids):
                items += [i for provider in single for i in provider(person, as_at)]
    return items
