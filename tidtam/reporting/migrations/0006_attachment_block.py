import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0005_remove_datavalue"),
        ("narratives", "0001_blocks"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="block",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="images", to="narratives.block"),
        ),
    ]
