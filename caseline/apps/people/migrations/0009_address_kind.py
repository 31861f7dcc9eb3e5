"""What each address is to the person (SSD addr_address_type): home, placement, temporary or
other. Every address already recorded becomes a home address, as Caseline treated them all
until now; a placement or temporary address among them is corrected on the record."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_person_former_upn_and_upn_unknown_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="address",
            name="kind",
            field=models.CharField(
                choices=[
                    ("home", "Home address"),
                    ("placement", "Placement address (while looked after)"),
                    ("temporary", "Temporary address"),
                    ("other", "Other address"),
                ],
                default="home",
                max_length=10,
                verbose_name="Type of address",
            ),
        ),
    ]
