"""Local practice standards an administrator has set, one row per overridden rule.

A row holds the interval in force for a ``Basis.LOCAL_STANDARD`` rule of the catalogue
(``caseline.apps.timescales.rules.CATALOGUE``). No row means the catalogue's default is in
force. Statutory rules never have a row (``standards.set_local_standard`` refuses them).
Every change is audited with its old and new values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseline.apps.timescales.rules import Interval, IntervalUnit


class LocalStandardSetting(models.Model):
    """The council's own interval for a local-standard timescale rule."""

    rule_code = models.CharField(max_length=60, unique=True)
    unit = models.CharField(max_length=20, choices=[(u.value, u.value) for u in IntervalUnit])
    count = models.PositiveIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["rule_code"]

    def __str__(self) -> str:
        return f"{self.rule_code}: {self.interval}"

    @property
    def interval(self) -> Interval:
        return Interval(IntervalUnit(self.unit), self.count)
