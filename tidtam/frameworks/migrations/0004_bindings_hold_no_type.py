"""Bindings hold no type or unit of their own: those are the measure's (see 0003).

A separate migration from the data step, so that PostgreSQL is not asked to
alter a table in the transaction that filled it.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("frameworks", "0003_bindings_of_measures"),
    ]

    operations = [
        migrations.RemoveField(model_name="dataelement", name="unit"),
        migrations.RemoveField(model_name="dataelement", name="value_type"),
        migrations.AlterField(
            model_name="dataelement",
            name="measure",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="bindings", to="measures.measure",
                                    verbose_name="รายการข้อมูลกลาง"),
        ),
    ]
