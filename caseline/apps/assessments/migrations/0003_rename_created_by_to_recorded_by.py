"""Who started an assessment is ``recorded_by``, the one name for who recorded a row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_indexes_for_record_pages")]

    operations = [
        migrations.RenameField(
            model_name="assessment", old_name="created_by", new_name="recorded_by"
        ),
    ]
