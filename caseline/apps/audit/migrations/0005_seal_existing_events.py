"""Seal the events recorded before the hash chain into it, in the order they were recorded,
and make the append-only triggers protect the chain's columns too.

The triggers are dropped for the sealing, in the migration's transaction, by the database
owner that runs migrations, and made again (SQLite also lost them when it rebuilt the table to
add the chain's columns). The one update they allow, erasing an event's content under the
retention schedule (migration 0003), must now also leave the chain position and the three
hashes unchanged. The migration cannot be reversed: undoing the chain would leave the trail
open to rewriting (ADR: tamper-evident audit chain).
"""

from django.db import migrations

from caseline.apps.audit.chain import GENESIS, HASHED_FIELDS, content_hash, event_hash

ERASED_EXTRA = '{"content_destroyed": true}'

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT (
           NEW.old_values = '{{}}' AND NEW.new_values = '{{}}'
           AND NEW.extra = '{ERASED_EXTRA}' AND NEW.target_repr = ''
           AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
           AND NEW.acting_user_id IS OLD.acting_user_id
           AND NEW.acting_username = OLD.acting_username
           AND NEW.event_type = OLD.event_type
           AND NEW.target_type_id IS OLD.target_type_id AND NEW.target_id = OLD.target_id
           AND NEW.subject_person_id IS OLD.subject_person_id
           AND NEW.request_uuid = OLD.request_uuid
           AND NEW.chain_position IS OLD.chain_position
           AND NEW.previous_hash = OLD.previous_hash
           AND NEW.content_hash = OLD.content_hash
           AND NEW.event_hash = OLD.event_hash
       )
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
]
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF NEW.old_values = '{{}}'::jsonb AND NEW.new_values = '{{}}'::jsonb
              AND NEW.extra = '{ERASED_EXTRA}'::jsonb AND NEW.target_repr = ''
              AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at
              AND NEW.acting_user_id IS NOT DISTINCT FROM OLD.acting_user_id
              AND NEW.acting_username = OLD.acting_username
              AND NEW.event_type = OLD.event_type
              AND NEW.target_type_id IS NOT DISTINCT FROM OLD.target_type_id
              AND NEW.target_id = OLD.target_id
              AND NEW.subject_person_id IS NOT DISTINCT FROM OLD.subject_person_id
              AND NEW.request_uuid = OLD.request_uuid
              AND NEW.chain_position IS NOT DISTINCT FROM OLD.chain_position
              AND NEW.previous_hash = OLD.previous_hash
              AND NEW.content_hash = OLD.content_hash
              AND NEW.event_hash = OLD.event_hash THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'audit events are append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_auditevent_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_change ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only();",
]
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}
CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}


def seal_existing(apps, schema_editor):
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "AuditChainHead")
    vendor = schema_editor.connection.vendor
    unsealed = event_model.objects.filter(chain_position__isnull=True).order_by("id")
    head = head_model.objects.filter(pk=1).first()
    position, previous = (head.position, head.last_hash) if head else (0, GENESIS)
    for statement in DROP.get(vendor, []):
        schema_editor.execute(statement)
    for event in unsealed.iterator(chunk_size=2000):
        position += 1
        event.chain_position = position
        event.previous_hash = previous
        values = {name: getattr(event, name) for name in HASHED_FIELDS if name != "content_hash"}
        event.content_hash = values["content_hash"] = content_hash(values)
        event.event_hash = event_hash(values, previous)
        previous = event.event_hash
        event.save(update_fields=["chain_position", "previous_hash", "content_hash", "event_hash"])
    for statement in CREATE.get(vendor, []):
        schema_editor.execute(statement)
    head_model.objects.update_or_create(
        pk=1, defaults={"position": position, "last_hash": previous}
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]

    # No reverse: the chain, once made, is not undone (``migrate audit 0001`` is refused).
    # The DROP and CREATE statements are kept for the test suite's flush of committed data
    # (the root conftest).
    operations = [migrations.RunPython(seal_existing, reverse_code=None)]
