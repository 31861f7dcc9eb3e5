"""A user's Social Work England registration number (SSDA903 SWEpisodes SW_ID), blank for
anyone not registered, and one registration to one user. Existing users have none."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_work_phone"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="swe_registration_number",
            field=models.CharField(
                blank=True, max_length=12, verbose_name="Social Work England registration number"
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("swe_registration_number", ""), _negated=True),
                fields=("swe_registration_number",),
                name="user_swe_registration_unique",
            ),
        ),
    ]
