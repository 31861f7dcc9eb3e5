"""What each capability contributes to a child's record summary and to "what is due".

Apps register providers in their ``AppConfig.ready()``::

    from caseline.apps.people.summary import register_due_provider, register_summary_provider
    register_summary_provider(my_summary_blocks)
    register_due_provider(my_due_items)

The summary page and the identity bar call every provider; none of them stores anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from caseline.apps.people.models import Person
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

_summary_providers: list[SummaryProvider] = []
_badge_providers: list[BadgeProvider] = []
_due_providers: list[DueProvider] = []


def register_summary_provider(provider: SummaryProvider) -> None:
    if provider not in _summary_providers:
        _summary_providers.append(provider)


def register_badge_provider(provider: BadgeProvider) -> None:
    if provider not in _badge_providers:
        _badge_providers.append(provider)


def register_due_provider(provider: DueProvider) -> None:
    if provider not in _due_providers:
        _due_providers.append(provider)


def summary_blocks(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    blocks = [b for provider in _summary_providers for b in provider(person, as_at)]
    return sorted(blocks, key=lambda b: b.order)


def badges(person: Person, as_at: datetime.date) -> list[Badge]:
    return [b for provider in _badge_providers for b in provider(person, as_at)]


def due_items(person: Person, as_at: datetime.date) -> list[DueItem]:
    """Open (not completed) due work for the person, most urgent first."""
    items = [i for provider in _due_providers for i in provider(person, as_at)]
    return sorted(items, key=lambda i: i.timeliness.due_date)
