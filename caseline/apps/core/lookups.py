"""``any_of``: a list of ids, or of strings, sent to the database as one value, not one
parameter per item.

``Person.objects.filter(pk__any_of=ids)`` means the same as ``pk__in=ids``. The work pages
hand a team's few hundred children to every work provider, and each provider's queries
carry the list. With ``__in`` Django prepares and compiles every id as a parameter of its
own in every query, and psycopg then scans the long query text for the placeholders: for
a 248-child team that was about a fifth of the team page's time on PostgreSQL. There this
lookup sends the ids as one array (``= ANY(%s)``), which PostgreSQL plans exactly as it
plans an ``IN`` list (it turns the list into that array itself). Elsewhere it writes a
plain ``IN`` list, without Django's per-id preparation.

Strings go the same way (``search_given__any_of=spellings``: the person search sends a
word's few hundred typing slips): one array on PostgreSQL, where one value also keeps the
statement the same from one search to the next, so PostgreSQL prepares it (ADR 0017); on
SQLite one JSON list (``IN (SELECT value FROM json_each(%s))``), which SQLite answers from
the column's index. The values are all whole numbers or all strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import BigAutoField, BigIntegerField, CharField, ForeignKey, Lookup


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``field__any_of=values``: the field's value is one of ``values``, whole numbers (ids)
    or strings, not a mix."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> tuple[int, ...] | tuple[str, ...]:
        values: Iterable[Any] = self.rhs
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise TypeError("any_of takes a list of ids or of strings")
        given = list(values)
        if given and all(isinstance(value, str) for value in given):
            return tuple(sorted(set(given)))  # in order: the same values, the same parameter
        ids = []
        for value in given:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"any_of takes whole-number ids or strings, not {value!r}")
            ids.append(value)
        return tuple(dict.fromkeys(ids))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        strings = isinstance(self.rhs[0], str)
        if connection.vendor == "postgresql":
            array = "varchar[]" if strings else "bigint[]"
            return f"{lhs} = ANY(%s::{array})", [*lhs_params, list(self.rhs)]
        if strings:
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - a column, no values
            return sql, [*lhs_params, json.dumps(list(self.rhs))]
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]


def register() -> None:
    """Make ``any_of`` available on primary keys, foreign keys, ids kept as numbers (the audit
    trail's subject) and text columns."""
    BigAutoField.register_lookup(AnyOf)
    BigIntegerField.register_lookup(AnyOf)
    ForeignKey.register_lookup(AnyOf)
    CharField.register_lookup(AnyOf)
