"""Let the audit trail's content be erased, and nothing else changed, when a record is destroyed
under the retention schedule (ADR: retention destroys content and keeps the fact).

The triggers still refuse every change to an event but one: blanking its values, its extra
detail and its description, with the extra detail set to ``{"content_destroyed": true}``, every
other column unchanged. Deletes and truncation are refused as before. Migration 0005 makes
these triggers again with the hash chain's columns (added in 0004) among those left unchanged.
"""

from django.db import migrations

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
              AND NEW.request_uuid = OLD.request_uuid THEN
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


def _run(*groups):
    def run(apps, schema_editor):
        for statements_by_vendor in groups:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

    return run


def _previous():
    import importlib

    return importlib.import_module("caseline.apps.audit.migrations.0002_append_only_triggers")


def _forwards(apps, schema_editor):
    _run(
        {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP},
        {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE},
    )(apps, schema_editor)


def _backwards(apps, schema_editor):
    previous = _previous()
    _run(
        {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP},
        {"sqlite": previous.SQLITE_CREATE, "postgresql": previous.POSTGRES_CREATE},
    )(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(_forwards, _backwards)]
