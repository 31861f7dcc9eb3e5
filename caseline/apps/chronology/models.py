"""Entries a worker adds by hand: significant events reported by other agencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AgencyEvent(models.Model):
    """A significant event another agency told us about (police, health, school...)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="agency_events"
    )
    event_date = models.DateField()
    agency = models.CharField(max_length=200)
    what_happened = models.TextField()
    why_it_matters = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_date", "-id"]

    def __str__(self) -> str:
        return f"{self.event_date}: {self.agency}"
