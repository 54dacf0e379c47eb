"""Narratives, problem rows and best practices now live in narrative blocks (see 0005)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0007_narratives_into_blocks"),
    ]

    operations = [
        migrations.RemoveField(model_name="attachment", name="best_practice"),
        migrations.DeleteModel(name="Narrative"),
        migrations.DeleteModel(name="ProblemRow"),
        migrations.DeleteModel(name="BestPractice"),
    ]
