"""``any_of``: a list of ids sent to the database as one value, not one parameter per id.

``Person.objects.filter(pk__any_of=ids)`` means the same as ``pk__in=ids``. The work pages
hand a team's few hundred children to every work provider, and each provider's queries
carry the list. With ``__in`` Django prepares and compiles every id as a parameter of its
own in every query, and psycopg then scans the long query text for the placeholders: for
a 248-child team that was about a fifth of the team page's time on PostgreSQL. There this
lookup sends the ids as one array (``= ANY(%s)``), which PostgreSQL plans exactly as it
plans an ``IN`` list (it turns the list into that array itself). Elsewhere it writes a
plain ``IN`` list, without Django's per-id preparation. The ids must be whole numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import BigAutoField, ForeignKey, Lookup


class AnyOf(Lookup):  # type: ignore[type-arg]
    """``field__any_of=ids``: the field's value is one of ``ids`` (whole numbers)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> tuple[int, ...]:
        values: Iterable[Any] = self.rhs
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise TypeError("any_of takes a list of ids")
        ids = []
        for value in values:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"any_of takes whole-number ids, not {value!r}")
            ids.append(value)
        return tuple(dict.fromkeys(ids))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, list(self.rhs)]
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]


def register() -> None:
    """Make ``any_of`` available on primary keys and foreign keys."""
    BigAutoField.register_lookup(AnyOf)
    ForeignKey.register_lookup(AnyOf)
