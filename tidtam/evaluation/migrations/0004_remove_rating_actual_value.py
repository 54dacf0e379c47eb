from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0003_actuals_into_observations"),
    ]

    operations = [
        migrations.RemoveField(model_name="rating", name="actual_value"),
    ]
