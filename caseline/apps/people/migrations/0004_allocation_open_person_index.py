"""Open allocations by child as a partial index, in place of (person, end_date).

PostgreSQL did not use the two-column index to find the open allocations, and read the whole
allocation history instead; the partial index holds only the open ones.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("people", "0003_name_search_statistics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="allocation",
            name="allocation_person_open_idx",
        ),
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(
                condition=models.Q(("end_date__isnull", True)),
                fields=["person"],
                name="allocation_open_person_idx",
            ),
        ),
    ]
