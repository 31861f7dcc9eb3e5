"""Checks every app's due-work tests share (``people.contribution.DueItem``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import resolve

from caseline.apps.core.access import declared_permission
from caseline.apps.people.contribution import DueItem


def check_links(items: Iterable[DueItem]) -> set[str]:
    """Every item links to a page of the record whose view declares the very permission
    the item says its link needs, so a person is only sent where they may do the work; and
    every item says whose it is. Returns the URL names seen."""
    names = set()
    for item in items:
        match = resolve(item.href)
        assert declared_permission(match.func) == item.permission, (item.title, item.href)
        assert match.kwargs.get("person_id", item.person_id) == item.person_id, item.href
        assert item.doer, item.title
        names.add(f"{match.namespace}:{match.url_name}")
    return names
