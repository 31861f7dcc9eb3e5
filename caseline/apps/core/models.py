"""Model building blocks shared by every domain app."""

from __future__ import annotations

from django.db import models


class VersionedModel(models.Model):
    """Optimistic locking: a form carries the version it was read at, and the action that
    saves it refuses when someone else has saved since (see ``core.concurrency``)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
