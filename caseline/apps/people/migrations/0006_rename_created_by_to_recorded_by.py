"""Who added a person is ``recorded_by``, the one name for who recorded a row."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0005_open_allocations_by_team")]

    operations = [
        migrations.RenameField(model_name="person", old_name="created_by", new_name="recorded_by"),
    ]
