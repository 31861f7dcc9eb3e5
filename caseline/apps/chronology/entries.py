"""What a chronology is made of, and how each capability contributes to it.

Adding an app's events: write ``<app>/chronology.py`` with a provider, a function
``(person) -> list[ChronologyEntry]``, and register it in the app's ``AppConfig.ready()``::

    from caseline.apps.chronology.entries import register_chronology_provider
    from caseline.apps.<app>.chronology import <app>_chronology

    register_chronology_provider(<app>_chronology, only_with_records_in="<app>")

``only_with_records_in`` skips the provider for a child with no record in the app (leave it
out if the provider's entries can come from another app's records, as the family's do).
Read a model's rows about the child with ``people.queries.records_about(person, Model)``:
a chronology asks first, in one query, which tables hold anything about the child, and
``records_about`` then skips the query for a table that holds nothing.
A provider turns its own dated records into entries; nothing is copied or stored, so the
chronology is always the record as it stands. Write each entry as plain sentences a court can
read, with the decision and its reason (``chronology.text`` has ``sentence``, ``excerpt`` and
``lower_first`` for code labels), set ``source``, ``recorded_by`` where known and ``href`` to
where it is recorded, and mark significant what a court would see as significant, with
``why_it_matters``. A provider runs a small fixed number of queries per child
(``select_related``/``prefetch_related``), however long the history; the app's
``tests/test_chronology.py`` asserts that count, and a row in
``chronology/tests/builders.py`` adds the new kind of event to the every-event test.
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
    ALLOCATION = "allocation"
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
    Category.ALLOCATION: "Allocation of the case",
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


@dataclass(frozen=True)
class RegisteredProvider:
    provider: ChronologyProvider
    # An app label: call the provider only for a child with a record in one of that app's
    # models with a ``person`` foreign key. Empty: call it for every child.
    only_with_records_in: str = ""


_providers: list[RegisteredProvider] = []


def register_chronology_provider(
    provider: ChronologyProvider, *, only_with_records_in: str = ""
) -> None:
    """Add a provider to every chronology.

    ``only_with_records_in`` names the app whose records the provider's entries all come
    from. A chronology first asks, in one query, which of those apps hold anything about the
    child, and skips the providers of apps that hold nothing: most children have never been
    in care, so the looked-after provider's ten queries would all come back empty.
    """
    if all(registered.provider is not provider for registered in _providers):
        _providers.append(RegisteredProvider(provider, only_with_records_in))


def registered_providers() -> list[RegisteredProvider]:
    return list(_providers)
