"""How each app contributes to a child's record: the one contract.

The summary page, the identity bar, "what is due", My work and the chronology all need
something from every capability. Each app says what it adds in one object, a
:class:`RecordContribution` made with its own functions for each part, and registers it once
in its ``AppConfig.ready()``::

    # cin/providers.py
    CONTRIBUTION = RecordContribution(
        app_label="cin",
        summary_blocks=plan_summary,  # (person, as_at) -> list[SummaryBlock]
        badges=plan_badge,  # (person, as_at) -> list[Badge]
        due_for=plan_work_items,  # (person_ids, as_at) -> list[DueItem]
        chronology=cin_chronology,  # (person, held) -> list[ChronologyEntry]
        timescale_rules=timescales.RULES,
    )

    # cin/apps.py
    def ready(self) -> None:
        from caseline.apps.cin.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)

What an app leaves out it does not contribute. Nothing is cached or stored: every call
computes from the records as they stand, so recording an event changes the record at once.
The readers are ``people.summary`` (summary blocks, badges and due work, for one child or
many) and ``chronology.queries.chronology_for``.

The people app sits below every capability, so the contract, and the values contributions
give (summary blocks, badges, due items, chronology entries), live here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.text import says_again
from caseline.apps.people.models import Person
from caseline.apps.timescales.rules import CATALOGUE, Timeliness, TimescaleRule

if TYPE_CHECKING:
    from caseline.apps.people.queries import RecordsHeld

PersonIds = Sequence[int]


@dataclass(frozen=True)
class SummaryBlock:
    """A titled block on the summary page, with label/value rows and optional link."""

    order: int  # lower comes first: 10 why involved, 20 assessment, 30 plan, 40 notes
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    link_text: str = ""
    link_href: str = ""
    # Shown only to users who hold it (an allegation against an adult, a complaint); None:
    # to everyone who may see the child's summary.
    permission: Permission | None = None


@dataclass(frozen=True)
class Badge:
    """A badge in the identity bar, e.g. "Child in need plan", "Child protection plan"."""

    text: str
    colour: str = "blue"  # a govuk-tag colour: blue, red, orange, green, purple, grey


class Doer(StrEnum):
    """Who does a piece of due work, named as the child's record names them."""

    SOCIAL_WORKER = "social worker"  # the child's allocated worker
    TEAM_MANAGER = "team manager"  # the manager of the team the child is allocated to
    IRO = "IRO"  # the child's independent reviewing officer
    CONFERENCE_CHAIR = "conference chair"  # who chaired the plan's latest conference
    FRONT_DOOR = "front door"  # whoever decides contacts: not one named person
    ACTION_OWNER = "action owner"  # the person an action from a case audit names

    def for_whom(self, name: str = "") -> str:
        """ "For the team manager, Tess Manager"; "For the IRO: none allocated" when the
        record names nobody."""
        if self is Doer.FRONT_DOOR:
            return "For the front door"
        if name:
            return f"For the {self.value}, {name}"
        if self is Doer.CONFERENCE_CHAIR:
            return "For a conference chair"
        nobody = "none recorded" if self is Doer.TEAM_MANAGER else "none allocated"
        return f"For the {self.value}: {nobody}"


# Who does the work a page needs each permission for. A due item declares the permission its
# link needs (the one its form's view declares); the work is that person's.
DOER_BY_PERMISSION: dict[Permission, Doer] = {
    Permission.ASSESSMENT_RECORD: Doer.SOCIAL_WORKER,
    Permission.PLAN_RECORD: Doer.SOCIAL_WORKER,
    Permission.VISIT_RECORD: Doer.SOCIAL_WORKER,
    Permission.ENQUIRY_RECORD: Doer.SOCIAL_WORKER,
    Permission.CARE_RECORD: Doer.SOCIAL_WORKER,
    Permission.NOTE_RECORD: Doer.SOCIAL_WORKER,
    Permission.ASSESSMENT_AUTHORISE: Doer.TEAM_MANAGER,
    Permission.OVERSIGHT_RECORD: Doer.TEAM_MANAGER,
    Permission.REVIEW_CHAIR: Doer.IRO,
    Permission.CONFERENCE_CHAIR: Doer.CONFERENCE_CHAIR,
    Permission.CONTACT_DECIDE: Doer.FRONT_DOOR,
    Permission.AUDIT_REFLECT: Doer.SOCIAL_WORKER,
    Permission.AUDIT_ACTION_UPDATE: Doer.ACTION_OWNER,
    Permission.IRO_CHALLENGE_RECORD: Doer.IRO,
}


@dataclass(frozen=True)
class DueItem:
    """A piece of statutory or locally required work for a child, due or overdue.

    ``permission`` is the one the linked page declares: whoever holds it may do the work,
    and My work lists the item only for them. Everyone else sees it unlinked, saying whose
    it is (``doer``): the child's worker or team manager from the allocation, or
    ``assigned_to_id`` where the app knows the person (the child's IRO, the plan's chair).
    """

    person_id: int
    title: str  # "Contact decision", "Assessment", "Child in need visit"
    rule_code: str  # the timescale rule's code
    timeliness: Timeliness
    href: str = ""  # where the work is done
    permission: Permission = field(kw_only=True)  # the permission the ``href`` page needs
    detail: str = field(default="", kw_only=True)  # "Returned on 3 June 2025: ..."
    assigned_to_id: int | None = field(default=None, kw_only=True)  # a user id

    @property
    def doer(self) -> Doer:
        """Whose work this is: the role that does what ``permission`` allows."""
        return DOER_BY_PERMISSION[self.permission]


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


class Step(IntEnum):
    """Where an event comes in the work with a child on one day: a contact comes before the
    strategy discussion it leads to, which comes before the enquiry it starts, the enquiry's
    end before the conference, the conference before the plan it makes, and what ends after
    what begins. The chronology puts a day's entries in the order of their times where they
    have one and, where they have none, in this order among them (``chronology.queries``)."""

    BORN = 0
    STEP_UP = 10  # from early help (which ends), before the contact or referral it brings
    CONTACT = 20
    REFERRAL = 30
    ALLOCATION = 40
    STRATEGY = 50  # strategy discussion or meeting
    ENQUIRY = 60  # section 47 enquiry started
    POLICE = 70  # the police's decision in an enquiry
    ASSESSMENT = 80  # an assessment started
    EVENT = 100  # most events: visits, case notes, family events, health, education...
    DECISION = 110  # an assessment authorised, an enquiry completed
    CONFERENCE = 120
    CARE = 130  # coming into care, a change of legal status or placement
    PLAN = 140  # a plan starting or changing
    ENDING = 200  # plans ending, cases closing, leaving care
    EARLY_HELP = 210  # early help starting, or a step down to it, after the case it ends
    DIED = 300


@dataclass(frozen=True)
class ChronologyEntry:
    """One event in the child's life or in our work with them."""

    date: datetime.date
    category: Category
    what_happened: str
    source: str  # where it is recorded: "Front door", "Assessment", "Police"
    recorded_by: str = ""
    why_it_matters: str = ""  # the significance; required for significant entries
    significant: bool = False
    href: str = ""
    time: datetime.time | None = None  # the local time it happened, where it has one
    step: Step = Step.EVENT  # where it comes among the day's events without a time
    # Who may see the entry, beyond seeing the child (an allegation or a complaint is for its
    # officer alone): ``chronology.queries.chronology_for`` leaves it out for anyone else.
    permission: Permission | None = None

    @property
    def distinct_source(self) -> str:
        """The source, or nothing where the category's label already says it: "Family events"
        is not followed by "Family", nor "Visits" by "Visit"."""
        label = self.category.label
        if says_again(self.source, label) or says_again(label, self.source):
            return ""
        return self.source


WHY_NOT_SEEN = (
    "The child was not seen, so the worker could not check they were safe or hear their views."
)


def visit_entry(
    day: datetime.date,
    kind: str,
    name: str,
    *,
    seen: bool,
    alone: bool | None,
    detail: str,
    source: str,
    recorded_by: str,
    href: str,
) -> ChronologyEntry:
    """A visit to the child: "Child in need visit. Ada was seen alone. <detail>".
    Significant when the child was not seen, which matters for the same reason on any visit."""
    if not seen:
        how = f"{name} was not seen."
    elif alone:
        how = f"{name} was seen alone."
    else:
        how = f"{name} was seen, but not alone."
    return ChronologyEntry(
        date=day,
        category=Category.VISIT,
        what_happened=f"{kind}. {how} {detail}",
        source=source,
        recorded_by=recorded_by,
        why_it_matters="" if seen else WHY_NOT_SEEN,
        significant=not seen,
        href=href,
    )


SummaryProvider = Callable[[Person, datetime.date], list[SummaryBlock]]
BadgeProvider = Callable[[Person, datetime.date], list[Badge]]
DueProvider = Callable[[PersonIds, datetime.date], list[DueItem]]
ChronologyProvider = Callable[[Person, "RecordsHeld"], list[ChronologyEntry]]


def _nothing(*_: object) -> list[Any]:
    return []


def _nobody() -> Q | None:
    return None


@dataclass(frozen=True, kw_only=True)
class RecordContribution:
    """What one app adds to every child's record: one of these for each app, made with the
    app's own functions for what it contributes (the others add nothing), and registered in
    the app's ``AppConfig.ready()``.

    ``summary_blocks(person, as_at)``
        Blocks for the child's summary page.
    ``badges(person, as_at)``
        Badges for the identity bar above every page of the record.
    ``due_for(person_ids, as_at)``
        Open due work for each of these children, in a fixed number of queries however many
        there are (a team's few hundred on the team page, one on a child's record). Filter
        with ``person_id__any_of=person_ids`` (``core.lookups``, ADR 0014). Do not assume the
        ids exist or are visible: the page decides that before it asks. Each item links to
        the form where the work is done and declares the permission that form's view
        declares (``DueItem.permission``): My work lists it only for those who hold it, and
        everyone else sees whose work it is.
    ``chronology(person, held)``
        The child's events from the app's records, as plain sentences a court can read, in a
        fixed number of queries however long the history. ``held`` is what the chronology
        found, in one query, of which tables hold any row about the child: read a table with
        ``held.rows(Model)``, which asks nothing of a table found empty (ADR 0018). Give each
        entry the local time it happened where the record has one, and its :class:`Step`, so
        a day's events read in the order they happened; say codes in plain words
        (``codes.plain``), never as DfE labels with their codes.
    ``chronology_from_own_records``
        True when every chronology entry of the app comes from its own person-linked tables:
        the chronology then does not ask the app at all about a child with no row in any of
        them, sparing it the building of queries that would find nothing. Leave it False
        where entries may come from elsewhere (the front door's contacts are found through
        the people they name, its allocations are the people app's).
    ``needs_allocation()``
        A condition on people for the children the app has open work for that somebody must
        be allocated to (the front door: an open referral). Those who allocate work see them
        while nobody is allocated (``people.queries.visible_people``).
    ``timescale_rules``
        The rules the app brings, put on the rule catalogue when the contribution is
        registered. The app's due dates come from these (and the catalogue's own).
    """

    app_label: str  # the app contributing (``AppConfig.label``)
    summary_blocks: SummaryProvider = _nothing
    badges: BadgeProvider = _nothing
    due_for: DueProvider = _nothing
    chronology: ChronologyProvider = _nothing
    chronology_from_own_records: bool = False
    needs_allocation: Callable[[], Q | None] = _nobody
    timescale_rules: tuple[TimescaleRule, ...] = ()


_registered: dict[str, RecordContribution] = {}


def register_contribution(contribution: RecordContribution) -> None:
    """Add an app's contribution to every child's record and its timescale rules to the
    catalogue. One per app: registering the app again replaces its contribution."""
    for rule in contribution.timescale_rules:
        CATALOGUE.register(rule)
    _registered[contribution.app_label] = contribution


def contributions(app_labels: Collection[str] | None = None) -> list[RecordContribution]:
    """The registered contributions in the order their apps registered (the order of
    ``INSTALLED_APPS``); only those of ``app_labels`` when given."""
    return [
        contribution
        for label, contribution in _registered.items()
        if app_labels is None or label in app_labels
    ]
