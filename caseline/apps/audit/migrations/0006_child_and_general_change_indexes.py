"""Two partial indexes on the audit trail (ADR 0043): a child's newest change, and the
newest change about no child, each found by one index lookup however many reads the trail
holds. The event types are written out as they were when the indexes were made; the queries
name the same tuples (``audit.events``)."""

from django.db import migrations, models

READ_EVENT_TYPES = (
    "access.refused",
    "audit.viewed",
    "record.exported",
    "record.listed",
    "record.viewed",
)
NOT_CHANGING_RECORDS = (
    "access.refused",
    "account.locked",
    "account.password-changed",
    "account.security-key-registered",
    "account.security-key-removed",
    "account.security-key-renamed",
    "account.sign-in-failed",
    "account.signed-in",
    "account.signed-out",
    "account.two-factor-reset",
    "account.two-factor-set-up",
    "account.user-unlocked",
    "audit.viewed",
    "record.exported",
    "record.listed",
    "record.viewed",
)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_seal_existing_events"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["subject_person_id", "id"],
                condition=~models.Q(event_type__in=READ_EVENT_TYPES),
                name="audit_child_change_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["id"],
                condition=models.Q(subject_person_id__isnull=True)
                & ~models.Q(event_type__in=NOT_CHANGING_RECORDS),
                name="audit_general_change_idx",
            ),
        ),
    ]
