"""The director's page's monthly trend, counted outside the request (ADR 0038).

A month end's figure for one headline measure and one scope: the engine's numerator,
denominator and value as at that day over the 12 months to it, without its children (the
drill-down counts them again when asked). The daily job (``caseline indicator_trends``) and
the worker count them; the page only reads them.
"""

from __future__ import annotations

from django.db import models


class TrendFigure(models.Model):
    """One measure's figure as at one month end, for one scope, as last counted."""

    code = models.CharField(max_length=8, help_text="The indicator's code (FD1).")
    scope = models.CharField(
        max_length=64,
        help_text='The scope as the page\'s controls name it: "authority", "team-3", '
        '"service-North".',
    )
    month_end = models.DateField()
    numerator = models.IntegerField()
    denominator = models.IntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    counted_at = models.DateTimeField()
    record_version = models.BigIntegerField(
        help_text="The record's version when counted (audit.queries.last_change_id)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "scope", "month_end"], name="trend_figure_once_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.scope} {self.month_end}"
