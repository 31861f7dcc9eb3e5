"""Erasing the content of audit events about a destroyed record: the one change the audit
trail's triggers allow (migrations 0003 and 0005).

An erased event keeps what happened, when, by whom, to which object (its type and number),
about whose record (the person's number) and its place in the hash chain with its hashes (the
content hash among them, so the chain still verifies: ``audit.chain``); its values, extra
detail and description are blanked and its extra detail says ``content_destroyed``. An event
already erased is left alone, so the count returned is exact: retention records it, and
``caseline audit verify`` checks the erased events against it. Called only by retention's
destruction, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from caseline.apps.audit.models import AuditEvent
from caseline.apps.audit.record import AuditOutsideTransaction

ERASED_EXTRA = '{"content_destroyed": true}'
IDS_PER_STATEMENT = 500


def erase_content(
    *, subject_person_ids: Iterable[int], targets: dict[type[models.Model], set[object]]
) -> int:
    """Blank the content of every event about these people or these rows; return how many
    events were erased. Must run inside the transaction that destroys the rows."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction("Audit content is erased only inside the destruction.")
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    erase = (
        f"UPDATE {table} SET old_values = %s{cast}, new_values = %s{cast}, "  # noqa: S608
        f"extra = %s{cast}, target_repr = '' WHERE NOT (extra = %s{cast})"
    )
    values = ["{}", "{}", ERASED_EXTRA, ERASED_EXTRA]
    erased = 0
    with connection.cursor() as cursor:
        people = sorted(set(subject_person_ids))
        for start in range(0, len(people), IDS_PER_STATEMENT):
            chunk = people[start : start + IDS_PER_STATEMENT]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{erase} AND subject_person_id IN ({marks})", [*values, *chunk])
            erased += cursor.rowcount
        for model, pks in targets.items():
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            ids = sorted(str(pk) for pk in pks)
            for start in range(0, len(ids), IDS_PER_STATEMENT):
                targets_chunk = ids[start : start + IDS_PER_STATEMENT]
                marks = ", ".join(["%s"] * len(targets_chunk))
                cursor.execute(
                    f"{erase} AND target_type_id = %s AND target_id IN ({marks})"
                    " AND (subject_person_id IS NULL OR subject_person_id NOT IN "
                    f"({', '.join(['%s'] * max(len(people), 1))}))",
                    [*values, content_type.pk, *targets_chunk, *(people or [0])],
                )
                erased += cursor.rowcount
    return erased
