"""Enquiries completed before ``icpc_not_required`` was kept: those completed with an outcome
that needs no conference (no further action, or continuing as a child in need) record it, on
the day they were completed. One UPDATE; re-running it changes nothing."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import F


def record_icpc_not_required(apps: Any, schema_editor: Any) -> None:
    Section47Enquiry = apps.get_model("protection", "Section47Enquiry")
    Section47Enquiry.objects.filter(
        outcome__in=["nfa", "cin"], completed_on__isnull=False, icpc_not_required=False
    ).update(icpc_not_required=True, icpc_not_required_on=F("completed_on"))


class Migration(migrations.Migration):
    dependencies = [("protection", "0004_icpc_not_required_and_history")]

    operations = [
        migrations.RunPython(record_icpc_not_required, migrations.RunPython.noop, elidable=True)
    ]
