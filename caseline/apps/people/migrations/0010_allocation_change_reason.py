"""The coded reason for a change of social worker on an allocation (SSDA903 SW_REASON).
Allocations already recorded keep their note (``reason``) and get no code."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_address_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="change_reason",
            field=models.CharField(
                blank=True, max_length=6, verbose_name="Reason for the change of social worker"
            ),
        ),
    ]
