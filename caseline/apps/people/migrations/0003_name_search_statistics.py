"""On PostgreSQL, keep finer statistics on the name-search columns.

Search looks names up with a few hundred spellings at once (every one-letter slip of the typed
name, ``people.search.typing_slips``). With the default statistics target (100) PostgreSQL
guessed that such a list matched most of the synthetic register, whose 176 distinct first names
make every spelling look common, and read the whole table (22 ms a lookup on 99,497 people,
several lookups a search) where an index answers in under 1 ms. With 250 the most common values
cover the first names in use and the planner sees that most slips match nobody; a larger target
makes planning these long lists slower (7.8 ms a query at 1,000, against 3.5 ms at 250). SQLite
has no statistics targets, so nothing changes there.
"""

from django.db import migrations

COLUMNS = ("search_given", "search_family", "phonetic_given", "phonetic_family")
TARGET = 250


def _set_statistics(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in COLUMNS:
            schema_editor.execute(
                f"ALTER TABLE people_person ALTER COLUMN {column} SET STATISTICS {target}"
            )
        schema_editor.execute("ANALYZE people_person")

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0002_allocation_person_open_index")]

    operations = [migrations.RunPython(_set_statistics(TARGET), _set_statistics(-1))]
