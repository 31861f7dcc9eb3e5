"""Destroying a child's record: every row that belongs to it, found by following the foreign
keys that point at the person, then at those rows, and so on (ADR: how destruction works).

What counts as the child's:

- every row whose foreign key points at the person or at a row already found, whatever its
  ``on_delete`` (``PROTECT`` guards against deleting a person by accident, not against
  destroying a record whose time has come); a ``SET_NULL`` key is set to null instead;
- a record merged into the child's (``Person.merged_into``), which is the same child's;
- a row shared through a link table (a contact, a household) when every link that makes it
  someone's is the child's: a contact about this child alone goes, one about siblings stays
  (without this child in it);
- rows that name the person by number with no foreign key (``NUMBER_REFERENCES``: a return's
  findings about the child).

The audit trail keeps its events, with their content erased (``audit.erasure``). Nothing
else is touched: users, teams, code lists, other people's records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models
from django.db.models import Q

from caseline.apps.audit.erasure import erase_content
from caseline.apps.people.models import Person

IDS_PER_STATEMENT = 500
# Apps whose tables are never destroyed from: the trail keeps its events (erased), the
# retention reviews are the proof, and the rest belong to no child.
NEVER_FROM = frozenset({"audit", "contenttypes", "auth", "sessions", "accounts", "admin"})


@dataclass(frozen=True)
class SharedThrough:
    """A link table by which a shared row is someone's: the shared row goes when every link
    that counts (``counts``) is being destroyed."""

    app_model: str
    parent_field: str
    counts: Q = field(default_factory=Q)


SHARED_THROUGH: tuple[SharedThrough, ...] = (
    SharedThrough("frontdoor.ContactPerson", "contact", Q(role="subject")),
    SharedThrough("people.HouseholdMember", "household"),
)
# Tables that name a person by number, without a foreign key: (model, field).
NUMBER_REFERENCES: tuple[tuple[str, str], ...] = (("returns.ReturnFinding", "person_id"),)


@dataclass
class Found:
    """The rows of one record: each model's primary keys, and keys to set to null."""

    rows: dict[type[models.Model], set[object]] = field(default_factory=lambda: defaultdict(set))
    nulls: list[tuple[models.ForeignKey[models.Model, models.Model], set[object]]] = field(
        default_factory=list
    )
    by_number: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per table, by table name: the only thing the proof keeps."""
        counts = {model._meta.db_table: len(pks) for model, pks in sorted_rows(self.rows)}
        counts.update({table: n for table, n in self.by_number.items() if n})
        return dict(sorted(counts.items()))


def sorted_rows(
    rows: dict[type[models.Model], set[object]],
) -> list[tuple[type[models.Model], set[object]]]:
    return sorted(((m, p) for m, p in rows.items() if p), key=lambda item: item[0]._meta.db_table)


def _reverse_keys(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every foreign key (and one-to-one) pointing at ``model``, hidden ones included."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if isinstance(f, models.ForeignObjectRel)
        and (f.one_to_many or f.one_to_one)
        and f.auto_created
        and not f.concrete
    ]


def _ids(queryset: models.QuerySet[models.Model]) -> set[object]:
    return set(queryset.values_list("pk", flat=True))


def find_record(person_id: int) -> Found:
    """Every row of this person's record (see the module's docstring)."""
    found = Found()
    found.rows[Person].add(person_id)
    queue: list[tuple[type[models.Model], set[object]]] = [(Person, {person_id})]
    while queue:
        model, pks = queue.pop()
        for relation in _reverse_keys(model):
            related: type[models.Model] = relation.related_model  # type: ignore[assignment]
            key: models.ForeignKey[models.Model, models.Model] = relation.field  # type: ignore[assignment]
            if related._meta.app_label in NEVER_FROM:
                continue
            on_delete = key.remote_field.on_delete
            if on_delete is models.DO_NOTHING and not getattr(key, "db_constraint", True):
                continue
            linked = _in_chunks(related, key.attname, pks)
            if on_delete is models.SET_NULL:
                found.nulls.append((key, pks))
                continue
            new = linked - found.rows[related]
            if new:
                found.rows[related] |= new
                queue.append((related, new))
        if not queue:
            queue.extend(_shared_rows_now_owned(found))
    return found


def _in_chunks(model: type[models.Model], attname: str, pks: Iterable[object]) -> set[object]:
    ordered = list(pks)
    ids: set[object] = set()
    for start in range(0, len(ordered), IDS_PER_STATEMENT):
        chunk = ordered[start : start + IDS_PER_STATEMENT]
        ids |= _ids(model._base_manager.filter(**{f"{attname}__in": chunk}))
    return ids


def _shared_rows_now_owned(found: Found) -> list[tuple[type[models.Model], set[object]]]:
    """Shared rows every counting link of which is being destroyed, not yet found."""
    more: list[tuple[type[models.Model], set[object]]] = []
    for shared in SHARED_THROUGH:
        through = apps.get_model(shared.app_model)
        links = found.rows.get(through, set())
        if not links:
            continue
        parent_key = through._meta.get_field(shared.parent_field)
        parent_model: type[models.Model] = parent_key.related_model
        attname = parent_key.attname
        parents = set(
            through._base_manager.filter(pk__in=list(links)).values_list(attname, flat=True)
        )
        others = set(
            through._base_manager.filter(shared.counts, **{f"{attname}__in": list(parents)})
            .exclude(pk__in=list(links))
            .values_list(attname, flat=True)
        )
        owned = parents - others - found.rows[parent_model]
        if owned:
            found.rows[parent_model] |= owned
            more.append((parent_model, owned))
    return more


def destroy(found: Found) -> int:
    """Delete every row found, null the keys to keep, delete rows naming the people by number,
    erase the audit trail's content about them, and check every foreign key before the
    transaction commits. Return how many audit events were erased. Call inside a transaction."""
    people = sorted(int(pk) for pk in found.rows[Person])  # type: ignore[call-overload]
    with connection.cursor() as cursor:
        for key, pks in found.nulls:
            model = key.model
            for _start, chunk in _chunked(pks):
                model._base_manager.filter(**{f"{key.attname}__in": chunk}).exclude(
                    pk__in=list(found.rows.get(model, set()))
                ).update(**{key.attname: None})  # write-outside-actions: retention destruction
        for model, pks in sorted_rows(found.rows):
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(model._meta.pk.column)
            for _start, chunk in _chunked(pks):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)  # type: ignore[arg-type]  # noqa: S608
        for app_model, attname in NUMBER_REFERENCES:
            model = apps.get_model(app_model)
            deleted, _ = model._base_manager.filter(  # write-outside-actions: retention destruction
                **{f"{attname}__in": people}
            ).delete()
            found.by_number[model._meta.db_table] = deleted
    erased = erase_content(
        subject_person_ids=people,
        targets={model: pks for model, pks in found.rows.items() if pks},
    )
    _check_foreign_keys()
    return erased


def _chunked(pks: Iterable[object]) -> list[tuple[int, list[object]]]:
    ordered = sorted(pks, key=str)
    return [
        (start, ordered[start : start + IDS_PER_STATEMENT])
        for start in range(0, len(ordered), IDS_PER_STATEMENT)
    ]


def _check_foreign_keys() -> None:
    """Refuse (and so roll back) if any row still points at one destroyed: checked now, not
    left to the commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.check_constraints()
