"""Reading people. Record-level visibility lives here and nowhere else."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import user_can
from caseline.apps.people.contribution import contributions
from caseline.apps.people.models import (
    Address,
    Allocation,
    GlassBreak,
    Person,
    Relationship,
    Restriction,
)

ModelT = TypeVar("ModelT", bound=Model)


class RecordRestricted(PermissionDenied):
    """Refused because the child's record is restricted to named users, although the user
    would otherwise see it: the refusal page offers to break the glass (with a reason)."""

    def __init__(self, person: Person) -> None:
        super().__init__("This record is restricted")
        self.person = person


def _restrictions_in_force() -> QuerySet[Restriction]:
    """Restrictions in force on the person in ``OuterRef("pk")``, or on the record it was
    merged into (a merged record is hidden with the record kept)."""
    return Restriction.objects.filter(
        Q(person=OuterRef("pk")) | Q(person=OuterRef("merged_into")), lifted_at__isnull=True
    )


def _let_through(user: Any) -> Q:
    """People the user may see although restricted: named on the restriction, or having
    broken its glass."""
    restrictions = _restrictions_in_force()
    named = restrictions.filter(named_users=user)
    broken = restrictions.filter(glass_breaks__user=user)
    return Q(Exists(named)) | Q(Exists(broken))


def visible_people(user: Any) -> QuerySet[Person]:
    """Every person this user may see: whom they ordinarily see
    (:func:`ordinarily_visible_people`) less restricted records, plus restricted records
    naming them or whose glass they broke.

    A restricted record is one with a :class:`Restriction` in force (ADR 0030). Everybody
    outside its named users loses sight of the child everywhere, because every page asks
    this function; a named user sees the child even if not ordinarily (with
    ``people:child:view``).
    """
    if not user_can(user, Permission.CHILD_VIEW):
        return Person.objects.none()
    ordinary = _ordinary_condition(user)
    not_restricted = ~Q(Exists(_restrictions_in_force()))
    shown = not_restricted if ordinary is None else ordinary & not_restricted
    return Person.objects.filter(shown | _let_through(user))


def hide_restricted(people: QuerySet[Person], user: Any) -> QuerySet[Person]:
    """``people`` less those whose record is restricted from the user (in the same query):
    for a list already narrowed to people the user ordinarily sees, such as a caseload."""
    return people.filter(~Q(Exists(_restrictions_in_force())) | _let_through(user))


def _hidden_by_restrictions(user: Any) -> set[int]:
    """Everyone a restriction in force hides from the user (and the records merged into
    theirs), found from the restrictions in force: a few rows, however many people a page
    asks about. One query, and a second only when some record is restricted."""
    restricted = list(
        Restriction.objects.filter(lifted_at__isnull=True).values_list("person_id", flat=True)
    )
    if not restricted:
        return set()
    hidden = Person.objects.filter(
        Q(pk__any_of=restricted) | Q(merged_into__any_of=restricted)
    ).filter(~_let_through(user))
    return set(hidden.values_list("pk", flat=True))


def restricted_from(user: Any, person_ids: Iterable[int]) -> set[int]:
    """Which of these people have a restriction in force that hides them from the user."""
    wanted = set(person_ids)
    if not wanted:
        return set()
    return wanted & _hidden_by_restrictions(user)


def restriction_in_force(person: Person) -> Restriction | None:
    """The restriction in force on the person's record, if any."""
    return (
        Restriction.objects.filter(person=person, lifted_at__isnull=True)
        .select_related("set_by")
        .first()
    )


GLASS_BREAKS_SHOWN_DAYS = 30


@dataclass(frozen=True)
class RecordOpened:
    """A glass break for a My work list: the child only if the user may see them."""

    glass_break: GlassBreak
    person: Person | None


def restricted_records_opened(user: Any) -> list[RecordOpened]:
    """Glass broken by others in the last 30 days on restricted records in force that the
    user looks after: children allocated to them, or restrictions they set. For their My
    work ("Restricted records opened by others"); a child they may not see is not named."""
    since = timezone.now() - datetime.timedelta(days=GLASS_BREAKS_SHOWN_DAYS)
    allocated = Allocation.objects.filter(end_date__isnull=True, worker=user).values("person")
    breaks = list(
        GlassBreak.objects.filter(broken_at__gte=since, restriction__lifted_at__isnull=True)
        .filter(Q(person__in=allocated) | Q(restriction__set_by=user))
        .exclude(user=user)
        .select_related("person", "user")
        .order_by("-broken_at", "-id")
    )
    seen = visible_among(user, {b.person_id for b in breaks})
    return [RecordOpened(b, b.person if b.person_id in seen else None) for b in breaks]


def ordinarily_visible_people(user: Any) -> QuerySet[Person]:
    """Every person this user would see if no record were restricted.

    - Holders of ``people:child:view-all`` (front door, IROs, analysts, leaders) see everyone.
    - Others see children currently allocated to them or to their team (or any team they
      manage), and the people related to those children, and records merged into those.
    - Those who allocate work (``frontdoor:case:allocate``) also see children with no
      allocation yet whom an app says need one (the front door: an open referral,
      ``RecordContribution.needs_allocation``): they cannot allocate what they cannot see.
    - Nobody without ``people:child:view`` sees anyone.
    """
    if not user_can(user, Permission.CHILD_VIEW):
        return Person.objects.none()
    condition = _ordinary_condition(user)
    return Person.objects.all() if condition is None else Person.objects.filter(condition)


def _ordinary_condition(user: Any) -> Q | None:
    """The condition of :func:`ordinarily_visible_people` for a holder of
    ``people:child:view``; None for everyone."""
    if user_can(user, Permission.CHILD_VIEW_ALL):
        return None
    teams = Q(team__manager=user)
    if user.team_id is not None:
        teams |= Q(team_id=user.team_id)
    open_allocations = Allocation.objects.filter(end_date__isnull=True).filter(
        Q(worker=user) | teams
    )
    allocated = open_allocations.filter(person=OuterRef("pk"))
    related_to_allocated = Relationship.objects.filter(
        Q(person=OuterRef("pk"), other__in=open_allocations.values("person"))
        | Q(other=OuterRef("pk"), person__in=open_allocations.values("person"))
    )
    allocated_kept = open_allocations.filter(person=OuterRef("merged_into"))
    condition: Q = (
        Q(Exists(allocated)) | Q(Exists(related_to_allocated)) | Q(Exists(allocated_kept))
    )
    if user_can(user, Permission.CASE_ALLOCATE):
        any_allocation = Allocation.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
        for contribution in contributions():
            needed = contribution.needs_allocation()  # the front door's: an open referral
            if needed is not None:
                condition |= needed & ~Q(Exists(any_allocation))
    return condition


def visible_among(user: Any, person_ids: Iterable[int]) -> set[int]:
    """Which of these people the user may see, in one query (restrictions included).

    Narrow to the few people a page is about first, then ask this: ``visible_people(user)``
    as a subquery (``person__in=visible_people(user)``) makes the database test every person
    on the register for a user who does not see everyone.
    """
    wanted = set(person_ids)
    if not wanted:
        return set()
    return set(visible_people(user).filter(pk__any_of=list(wanted)).values_list("pk", flat=True))


def hidden_among(user: Any, person_ids: Iterable[int]) -> set[int]:
    """Which of these people, all on the register, the user may not see: those
    :func:`visible_among` leaves out, for a list too long to send to the database (a
    drill-down's tens of thousands of children).

    Whoever ordinarily sees everyone (``people:child:view-all``) is kept from only the
    records with a restriction in force that does not let them through: those are read from
    the restrictions (a few rows), so the ids are never sent. For anyone else the ids are
    sent, as :func:`visible_among` does. An id with no person behind it counts as hidden
    only there: ask :func:`visible_among` of ids that may not be on the register.
    """
    wanted = set(person_ids)
    if not wanted:
        return set()
    if not user_can(user, Permission.CHILD_VIEW) or _ordinary_condition(user) is not None:
        return wanted - visible_among(user, wanted)
    return restricted_from(user, wanted)


def get_person_for_user(user: Any, person_id: int) -> Person:
    """The person with this id if the user may see them: 404 if none, 403 if hidden, and
    :class:`RecordRestricted` (a 403 offering to break the glass) if only a restriction
    hides them."""
    try:
        person = Person.objects.get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No person with that ID") from None
    if not visible_people(user).filter(pk=person.pk).exists():
        if ordinarily_visible_people(user).filter(pk=person.pk).exists():
            raise RecordRestricted(person)
        raise PermissionDenied
    return person


def current_allocation(person: Person) -> Allocation | None:
    """The allocation with no end date, if any."""
    return (
        person.allocations.filter(end_date__isnull=True)
        .select_related("team", "worker")
        .order_by("-start_date", "-id")
        .first()
    )


def record_ids(person: Person) -> list[int]:
    """The person's id and the ids of every record merged into it, for history queries:
    audit events are never changed, so a merged record's events keep its own id."""
    merged = Person.objects.filter(merged_into=person).values_list("pk", flat=True)
    return [person.pk, *merged]


def current_addresses(person: Person) -> list[Any]:
    """Addresses with no end date, newest first."""
    return list(person.addresses.filter(end_date__isnull=True).order_by("-start_date", "-id"))


def home_postcode_on(person: Person, day: datetime.date) -> str:
    """The postcode of the person's home address on ``day`` ("" if none is recorded): the
    SSDA903 HOME_POST, read on the day a period of care starts.

    An address counts from its start date to its end date, both included. On a moving day
    both the old and the new home count (``add_address(end_previous=True)`` ends the old one
    the day the new one starts): the one that started later wins, so the day the child moves
    reads the new home.
    """
    address = (
        Address.objects.filter(person=person, kind=Address.Kind.HOME, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date", "-id")
        .first()
    )
    return address.postcode if address is not None else ""


def current_alerts(person: Person, as_at: Any) -> list[Any]:
    """Alerts in force on a day."""
    return list(
        person.alerts.filter(start_date__lte=as_at)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_at))
        .order_by("start_date", "id")
    )


def relationships_of(person: Person) -> list[Relationship]:
    """Relationships in both directions, with both people loaded, current first."""
    return list(
        Relationship.objects.filter(Q(person=person) | Q(other=person))
        .select_related("person", "other")
        .order_by("end_date", "kind", "id")
    )


def other_names_and_contacts(person: Person) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The person's other names ("Name (previous name)") and contact details
    (kind label, value, note), read together in one query for the summary page."""
    from django.db.models import CharField, Value

    from caseline.apps.people.models import ContactDetail, OtherName

    label = Value("name", output_field=CharField())
    names = OtherName.objects.filter(person=person).values_list(
        label, "kind", "given_name", "family_name", "id"
    )
    contact = Value("contact", output_field=CharField())
    contacts = ContactDetail.objects.filter(person=person).values_list(
        contact, "kind", "value", "note", "id"
    )
    other_names: list[str] = []
    details: list[tuple[str, str, str]] = []
    rows = sorted(names.union(contacts, all=True), key=lambda row: (row[0], row[4]))
    for source, kind, first, second, _ in rows:
        if source == "name":
            full = f"{first} {second}".strip()
            other_names.append(f"{full} ({OtherName.Kind(kind).label.lower()})")
        else:
            details.append((ContactDetail.Kind(kind).label, first, second))
    return other_names, details


@functools.cache
def person_linked_models(app_label: str) -> tuple[type[Model], ...]:
    """Every model of an app with a ``person`` foreign key to a person: the app's records
    about someone. (Rows reached through them, such as a review's recommendations, are not
    listed: they cannot exist without one that is.)"""
    return tuple(
        model
        for model in apps.get_app_config(app_label).get_models()
        if any(
            field.name == "person" and field.related_model is Person
            for field in model._meta.concrete_fields
        )
    )


@functools.cache
def _presence_sql(app_labels: tuple[str, ...], vendor: str) -> tuple[str, tuple[type[Model], ...]]:
    """``SELECT EXISTS (…), EXISTS (…)``, one per person-linked model of the apps, and the
    models in column order. Built from the models' metadata once."""
    quote = connection.ops.quote_name
    columns: list[str] = []
    models: list[type[Model]] = []
    for label in app_labels:
        for model in person_linked_models(label):
            table = quote(model._meta.db_table)
            column = quote(model._meta.get_field("person").column)  # type: ignore[union-attr,arg-type]
            # Names from the models, quoted; the person's id is a parameter.
            columns.append(f"EXISTS (SELECT 1 FROM {table} WHERE {column} = %s)")  # noqa: S608
            models.append(model)
    return "SELECT " + ", ".join(columns), tuple(models)


def models_with_records(person: Person, app_labels: Iterable[str]) -> frozenset[type[Model]]:
    """Which person-linked models of the apps hold any row about the person, in one query
    (an index probe a table: 1.3 ms at the median for the 35 tables of a chronology on
    PostgreSQL, 50,000-child authority). For pages that would otherwise ask table after
    table and find nothing, as most children have never been in care.

    Raw SQL, written from the models' metadata: the same question as ``Exists`` annotations
    in the ORM, which PostgreSQL planned as a scan of every table (11 ms).
    """
    sql, models = _presence_sql(tuple(sorted(set(app_labels))), connection.vendor)
    if not models:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(sql, [person.pk] * len(models))
        row = cursor.fetchone()
    return frozenset(model for model, present in zip(models, row, strict=True) if present)


@dataclass(frozen=True)
class RecordsHeld:
    """What :func:`records_held` found: which person-linked tables of the apps asked about
    hold any row about the person. A page that reads the person's records table after table
    (the chronology) asks once and hands this to each reader, which reads a table through
    :meth:`rows` and so asks nothing of a table found empty."""

    person: Person
    apps_asked: frozenset[str]
    present: frozenset[type[Model]]

    @classmethod
    def not_asked(cls, person: Person) -> RecordsHeld:
        """Nothing asked, so nothing is known to be empty: :meth:`rows` always reads."""
        return cls(person, frozenset(), frozenset())

    def known_empty(self, model: type[Model]) -> bool:
        """Whether the presence query found no row about the person in ``model``: True only
        for a person-linked model of an app asked about."""
        label = model._meta.app_label
        return (
            label in self.apps_asked
            and model not in self.present
            and model in person_linked_models(label)
        )

    def any_in(self, app_label: str) -> bool:
        """Whether any person-linked table of the app may hold a row about the person: False
        only for an app asked about whose tables were all found empty."""
        return app_label not in self.apps_asked or any(
            model._meta.app_label == app_label for model in self.present
        )

    def rows(self, model: type[ModelT]) -> QuerySet[ModelT]:
        """``model``'s rows about the person (by its ``person`` foreign key): an empty
        queryset, which asks nothing, where the presence query found none."""
        rows: QuerySet[ModelT] = model._default_manager.filter(person=self.person)
        return rows.none() if self.known_empty(model) else rows


def records_held(person: Person, app_labels: Iterable[str]) -> RecordsHeld:
    """Ask once, with :func:`models_with_records`, which of the apps' person-linked tables
    hold anything about the person. What is recorded afterwards is not seen: for one page's
    reads only."""
    labels = frozenset(app_labels)
    return RecordsHeld(person, labels, models_with_records(person, labels))
