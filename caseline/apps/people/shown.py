"""Which people a response shows: the one place that audits reads of children's data.

Every response that shows a person's data writes one audit event naming the user and the
people shown (:class:`~caseline.apps.people.middleware.ReadAuditMiddleware`). The people are
found in two ways, together:

- a page of a child's record (``ChildRecordMixin``), and any view whose response is not a
  template (a PDF), says so with :func:`children_shown`;
- a template response's context is walked (:func:`people_in`) for the people in it: a
  ``Person``, or any record with a foreign key to one (``contact_person.person_id``), in
  lists, dicts, dataclasses, pages and evaluated querysets. A view whose context holds more
  than it shows (a paged list beside the whole of it) names the parts it shows in
  ``children_shown_from`` (dotted paths into the context).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.paginator import Page
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from django.views import View

from caseline.apps.people.models import Person

SHOWN_ATTRIBUTE = "_caseline_people_shown"
# Context entries that are never a record's data (and would lead the walk into the request).
SKIPPED_KEYS = frozenset({"view", "request", "user", "perms", "messages", "csrf_token"})
MAX_DEPTH = 8


@dataclasses.dataclass
class Shown:
    """What a response says it shows: the record it is a page of, its section, other people."""

    subject: int | None = None
    section: str = ""
    people: set[int] = dataclasses.field(default_factory=set)
    paths: tuple[str, ...] | None = None


def shown_on(request: HttpRequest) -> Shown:
    """The people noted for this request so far (made on first use)."""
    shown: Shown | None = getattr(request, SHOWN_ATTRIBUTE, None)
    if shown is None:
        shown = Shown()
        setattr(request, SHOWN_ATTRIBUTE, shown)
    return shown


def children_shown(
    request: HttpRequest,
    person_ids: Iterable[int] = (),
    *,
    subject: int | None = None,
    section: str = "",
) -> None:
    """Note people this response shows; one audit event is written when it is sent.

    ``subject``: the person whose record the page is part of (for "Who has viewed this
    record"), with the record's ``section``.
    """
    shown = shown_on(request)
    shown.people |= {int(pk) for pk in person_ids}
    if subject is not None:
        shown.subject = int(subject)
        shown.section = section or shown.section


@functools.cache
def _person_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The attribute names of a model's foreign keys to a person."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Person
    )


def _walk(value: Any, found: set[int], seen: set[int], depth: int) -> None:
    if value is None or isinstance(value, str | bytes | int | float | bool) or depth > MAX_DEPTH:
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    # Fields are read from the instance's __dict__: a field left out by .only() is not
    # there, and reading it with getattr would query the database.
    if isinstance(value, Person):
        found.add(value.pk)
        return
    if isinstance(value, models.Model):
        for attname in _person_fields(type(value)):
            person_id = value.__dict__.get(attname)
            if person_id is not None:
                found.add(person_id)
        for cached in value._state.fields_cache.values():  # related rows already read
            _walk(cached, found, seen, depth + 1)
        prefetched = getattr(value, "_prefetched_objects_cache", {})
        for rows in prefetched.values():
            _walk(rows, found, seen, depth + 1)
        return
    if isinstance(value, QuerySet):
        # Only what was read: walking must never run a query.
        if value._result_cache is not None:
            for item in value._result_cache:
                _walk(item, found, seen, depth + 1)
        return
    if isinstance(value, Page):
        _walk(value.object_list, found, seen, depth + 1)
        return
    if isinstance(value, BaseForm | View | HttpRequest | type):
        return
    if isinstance(value, Mapping):
        for item in value.values():
            _walk(item, found, seen, depth + 1)
        return
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _walk(item, found, seen, depth + 1)
        return
    if dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            _walk(getattr(value, item.name, None), found, seen, depth + 1)
        return
    if type(value).__module__.startswith("caseline.") and hasattr(value, "__dict__"):
        _walk(vars(value), found, seen, depth + 1)


def _resolve(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
        if value is None:
            return None
    return value


def people_in(context: Mapping[str, Any], paths: tuple[str, ...] | None = None) -> set[int]:
    """The ids of every person in a template context (or in its named parts)."""
    found: set[int] = set()
    seen: set[int] = set()
    if paths is None:
        for key, value in context.items():
            if key not in SKIPPED_KEYS:
                _walk(value, found, seen, 0)
    else:
        for path in paths:
            _walk(_resolve(context, path), found, seen, 0)
    return found
