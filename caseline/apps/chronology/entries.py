"""What a chronology is made of, and how each capability contributes to it.

Apps register a provider in ``AppConfig.ready()``::

    register_chronology_provider(my_entries)   # (person) -> list[ChronologyEntry]

A provider turns its own dated records into entries; nothing is copied or stored, so the
chronology is always the record as it stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from caseline.apps.people.models import Person


class Category(StrEnum):
    """The kinds of event a chronology filters by."""

    CONTACT = "contact"
    REFERRAL = "referral"
    EARLY_HELP = "early-help"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    VISIT = "visit"
    PROTECTION = "protection"
    CARE = "care"
    HEALTH_EDUCATION = "health-education"
    NOTE = "note"
    OVERSIGHT = "oversight"
    FAMILY = "family"
    OTHER_AGENCY = "other-agency"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.CONTACT: "Contacts",
    Category.REFERRAL: "Referrals and closures",
    Category.EARLY_HELP: "Early help",
    Category.ASSESSMENT: "Assessments",
    Category.PLAN: "Plans and reviews",
    Category.VISIT: "Visits",
    Category.PROTECTION: "Child protection",
    Category.CARE: "Care and placements",
    Category.HEALTH_EDUCATION: "Health and education",
    Category.NOTE: "Case notes",
    Category.OVERSIGHT: "Management oversight and supervision",
    Category.FAMILY: "Family events",
    Category.OTHER_AGENCY: "Reported by other agencies",
}


@dataclass(frozen=True)
class ChronologyEntry:
    """One event in the child's life or in our work with them."""

    date: datetime.date
    category: Category
    what_happened: str
    source: str  # where it is recorded: "Front door", "Assessment", "Reported by police"
    recorded_by: str = ""
    why_it_matters: str = ""  # the significance; required for significant entries
    significant: bool = False
    href: str = ""
    order: int = 0  # ties on one date: lower first


ChronologyProvider = Callable[[Person], list[ChronologyEntry]]
_providers: list[ChronologyProvider] = []


def register_chronology_provider(provider: ChronologyProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def registered_providers() -> list[ChronologyProvider]:
    return list(_providers)
