"""Indexes on first and last names of several words, so that search finds a word inside one
("Brown" in "O'Neill-Brown") without reading every name (ADR 0019).

On PostgreSQL: the pg_trgm extension and trigram (GIN) indexes, which ``people.search``
asks with pg_trgm's similarity operator (``%``). On SQLite: plain indexes, read with
``LIKE``. Both are partial, holding only names with a space in their normalised form (a
few in a hundred), and their condition is written exactly as the search writes it
(``people.search._SeveralWords``). They are not in the models' state: each database gets its
own kind.

``CREATE EXTENSION`` needs a role allowed to create it: a superuser, or (pg_trgm being a
trusted extension since PostgreSQL 13) the owner of the database or a role with ``CREATE`` on
it. Where the role that migrates has neither, a superuser runs ``CREATE EXTENSION pg_trgm``
in the database once beforehand, and this migration then finds it there. Reversing drops the
indexes and leaves the extension, which something else may use.
"""

from django.db import migrations

COLUMNS = {
    "person_given_words_idx": "search_given",
    "person_family_words_idx": "search_family",
}


def create_indexes(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in COLUMNS.items():
        if postgresql:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON people_person "
                f"USING gin ({column} gin_trgm_ops) WHERE strpos({column}, ' ') > 0"
            )
        else:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON people_person ({column}) "
                f"WHERE instr({column}, ' ') > 0"
            )


def drop_indexes(apps, schema_editor):
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_rename_created_by_to_recorded_by")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
