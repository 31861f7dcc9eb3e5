"""Where imported records came from: the source system's id of each row Caseline made."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class SourceRecord(models.Model):
    """One row of another system's SSD extract and the Caseline record made from it.

    Keyed on the source system, the SSD table and the row's id there, so that importing the
    same extract again finds what it made (idempotent), and a later extract's changed row is
    told apart by ``row_hash``. The export names an imported record by its source id, so an
    extract read back out of Caseline matches the one that came in.
    """

    system = models.CharField(max_length=100)  # the source system, as the import was told
    table = models.CharField(max_length=60)  # the SSD table (or table.column for a group id)
    source_id = models.CharField(max_length=48)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    person = models.ForeignKey(  # the record of the person the row is about
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    row_hash = models.CharField(max_length=64, blank=True)  # the row as last imported
    # The row as last imported, its values as text: a later extract's row is compared with it
    # column by column, to apply what changed (``importing.CHANGES``) and say what did.
    row = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["system", "table", "source_id"], name="ssd_source_record_unique"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="ssd_source_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.table} {self.source_id}"
