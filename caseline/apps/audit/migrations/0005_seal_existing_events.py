"""Seal the events recorded before the hash chain into it, in the order they were recorded.

The append-only triggers are lifted for this one update, in the migration's transaction, by
the database owner that runs migrations. The migration cannot be reversed: undoing the chain
would leave the trail open to rewriting (ADR: tamper-evident audit chain).
"""

from django.db import migrations

from caseline.apps.audit.chain import GENESIS, event_hash

TRIGGERS = __import__(
    "caseline.apps.audit.migrations.0003_content_erasable_under_retention", fromlist=["x"]
)


def seal_existing(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    vendor = schema_editor.connection.vendor
    unsealed = event_model.objects.filter(chain_position__isnull=True).order_by("id")
    head = head_model.objects.filter(pk=1).first()
    position, previous = (head.position, head.last_hash) if head else (0, GENESIS)
    # SQLite rebuilt the table to add the chain's columns, which dropped its triggers: they are
    # made again below whatever happens.
    if vendor == "sqlite":
        for statement in TRIGGERS.SQLITE_DROP:
            schema_editor.execute(statement)
    if unsealed.exists():
        if vendor == "postgresql":
            schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER;")
        for event in unsealed.iterator(chunk_size=2000):
            position += 1
            event.chain_position = position
            event.previous_hash = previous
            event.event_hash = event_hash(
                {
                    "chain_position": position,
                    "occurred_at": event.occurred_at,
                    "acting_user_id": event.acting_user_id,
                    "acting_username": event.acting_username,
                    "event_type": event.event_type,
                    "target_type_id": event.target_type_id,
                    "target_id": event.target_id,
                    "target_repr": event.target_repr,
                    "subject_person_id": event.subject_person_id,
                    "old_values": event.old_values,
                    "new_values": event.new_values,
                    "extra": event.extra,
                    "request_uuid": event.request_uuid,
                },
                previous,
            )
            previous = event.event_hash
            event.save(update_fields=["chain_position", "previous_hash", "event_hash"])
        if vendor == "postgresql":
            schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER;")
    if vendor == "sqlite":
        for statement in TRIGGERS.SQLITE_CREATE:
            schema_editor.execute(statement)
    head_model.objects.update_or_create(
        pk=1, defaults={"position": position, "last_hash": previous}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]

    # No reverse: the chain, once made, is not undone (``migrate audit 0001`` is refused).
    operations = [migrations.RunPython(seal_existing, reverse_code=None)]
