"""The child's former UPN (CIN census FormerUPN) and why their UPN is not known (CIN census
UPNunknown, the SSDA903 UPN column's unknown code). Existing people get neither.

SQLite adds a NOT NULL column by rebuilding the table, which drops the partial indexes on
names of several words that 0007 made outside the models' state; they are made again here
(PostgreSQL adds the columns in place and keeps them).
"""

from django.db import migrations, models

# As 0007 makes them on SQLite.
SQLITE_INDEXES = {
    "person_given_words_idx": "search_given",
    "person_family_words_idx": "search_family",
}


def restore_sqlite_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, column in SQLITE_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_person ({column}) "
            f"WHERE instr({column}, ' ') > 0"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_indexes_for_names_of_several_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="former_upn",
            field=models.CharField(
                blank=True, max_length=13, verbose_name="Former unique pupil number"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="upn_unknown_reason",
            field=models.CharField(
                blank=True, max_length=4, verbose_name="Why the unique pupil number is not known"
            ),
        ),
        migrations.RunPython(restore_sqlite_indexes, migrations.RunPython.noop),
    ]
