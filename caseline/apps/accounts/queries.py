"""Reading users for display."""

from __future__ import annotations

from collections.abc import Iterable

from caseline.apps.accounts.models import User


def display_names(user_ids: Iterable[int | None]) -> dict[int, str]:
    """Each user's name as ``str(user)`` gives it (full name, or username), in one query.

    For lists of many records that name who recorded them: reading the names once is far
    cheaper than a user object for every row.
    """
    wanted = {pk for pk in user_ids if pk is not None}
    if not wanted:
        return {}
    rows = User.objects.filter(pk__in=wanted).values_list(
        "pk", "first_name", "last_name", "username"
    )
    return {pk: f"{first} {last}".strip() or username for pk, first, last, username in rows}
