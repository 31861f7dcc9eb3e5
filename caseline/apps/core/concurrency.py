"""Optimistic locking: two people editing one record cannot silently overwrite each other."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from caseline.apps.core.models import VersionedModel


class EditConflict(Exception):
    """Someone saved the record after this user opened it."""

    def __init__(self, instance: models.Model) -> None:
        super().__init__(
            f"{str(instance._meta.verbose_name).capitalize()} was changed by someone else "
            "after you "
            "opened it. Your changes have not been saved: copy them, reload the page and try again."
        )


def save_versioned(
    instance: VersionedModel, *, read_version: int, update_fields: list[str]
) -> None:
    """Save ``update_fields`` only if the row is still at ``read_version``; bump the version.

    Call inside the action's transaction. Raises :class:`EditConflict` otherwise.
    """
    model = type(instance)
    # Foreign keys are given by id (``team_id``); other fields by name.
    values = {name: getattr(instance, name) for name in update_fields}
    updated = model._default_manager.filter(pk=instance.pk, version=read_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise EditConflict(instance)
    instance.version = read_version + 1
