"""Each supervision action names its child, so a caseload's open actions are one index away.

The child is the supervision note's; existing actions take it from their note here. The next
migration makes the column required and indexes it: on PostgreSQL a column cannot be altered
in the transaction that just updated its deferred foreign key.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL_FROM_NOTE = """
UPDATE recording_supervisionaction
SET person_id = (
    SELECT note.person_id
    FROM recording_supervision AS supervision
    JOIN recording_casenote AS note ON note.id = supervision.note_id
    WHERE supervision.id = recording_supervisionaction.supervision_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_name_search_statistics"),
        ("recording", "0002_indexes_for_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionaction",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supervision_actions",
                to="people.person",
            ),
        ),
        migrations.RunSQL(FILL_FROM_NOTE, reverse_sql=migrations.RunSQL.noop),
    ]
