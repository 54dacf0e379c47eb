"""Columns for the inspection form as a framework: entries and reports point at its nodes.

Added beside the old keys; 0005 fills them, 0006 drops the old ones and the old tables.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0003_thai_admin_names'),
        ('frameworks', '0009_inspection_form_nodes'),
    ]

    operations = [
        migrations.AddField(
            model_name='entry',
            name='framework_node_fw',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.framework'),
        ),
        migrations.AddField(
            model_name='entry',
            name='issue_node',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.frameworknode'),
        ),
        migrations.AddField(
            model_name='entry',
            name='question_node',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.frameworknode'),
        ),
        migrations.AddField(
            model_name='inspectionreport',
            name='framework_node_fw',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.framework'),
        ),
        migrations.AddField(
            model_name='inspectionreport',
            name='omitted_nodes',
            field=models.ManyToManyField(blank=True, related_name='+', to='frameworks.frameworknode'),
        ),
    ]
