"""Each supervision action's child is required, and the open actions are indexed by child."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_name_search_statistics"),
        ("recording", "0003_supervision_action_person"),
    ]

    operations = [
        migrations.AlterField(
            model_name="supervisionaction",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="supervision_actions",
                to="people.person",
            ),
        ),
        migrations.AddIndex(
            model_name="supervisionaction",
            index=models.Index(
                condition=models.Q(("done_on__isnull", True)),
                fields=["person", "by_when"],
                name="supaction_open_person_idx",
            ),
        ),
    ]
