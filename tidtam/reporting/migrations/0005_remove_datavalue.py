"""The figures now live in the observation store (0002 moved every one of them)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0004_values_into_observations"),
    ]

    operations = [
        migrations.DeleteModel(name="DataValue"),
    ]
