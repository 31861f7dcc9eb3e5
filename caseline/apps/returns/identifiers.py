"""How a child is named in the returns, and back again.

Both returns identify a child by the authority's own reference (CIN ``LAchildID``, SSDA903
``CHILD``): Caseline uses the person's record number, so every row of a return and every error
the validators report leads back to one record.
"""

from __future__ import annotations


def child_id(person_id: int) -> str:
    """The child's reference in a return."""
    return str(person_id)


def person_id_from_child_id(reference: str) -> int | None:
    """The record a return's child reference names, or None if it names none of ours."""
    text = reference.strip()
    return int(text) if text.isdigit() else None
