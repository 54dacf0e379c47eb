"""Drop the inspection form's own tables: its policies, issues and questions are nodes now.

The old keys go, the columns 0005 filled take their names, and the form's
vocabulary stays as proxies of Framework/FrameworkNode (one table, one metamodel).
"""

import django.db.models.deletion
import tidtam.inspection.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0005_move_to_framework_nodes'),
        ('frameworks', '0009_inspection_form_nodes'),
    ]

    operations = [
        migrations.AlterUniqueTogether(name='inspectionreport', unique_together=set()),
        migrations.RemoveField(model_name='entry', name='framework'),
        migrations.RemoveField(model_name='entry', name='issue'),
        migrations.RemoveField(model_name='entry', name='question'),
        migrations.RemoveField(model_name='inspectionreport', name='framework'),
        migrations.RemoveField(model_name='inspectionreport', name='omitted_issues'),
        migrations.DeleteModel(name='Question'),
        migrations.DeleteModel(name='Issue'),
        migrations.DeleteModel(name='Policy'),
        migrations.DeleteModel(name='InspectionFramework'),
        migrations.CreateModel(
            name='InspectionFramework',
            fields=[],
            options={
                'verbose_name': 'กรอบการตรวจราชการ',
                'verbose_name_plural': 'กรอบการตรวจราชการ',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('frameworks.framework',),
            managers=[
                ('objects', tidtam.inspection.models.InspectionFrameworkManager()),
            ],
        ),
        migrations.CreateModel(
            name='Policy',
            fields=[],
            options={
                'verbose_name': 'นโยบาย',
                'verbose_name_plural': 'นโยบาย',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('frameworks.frameworknode',),
        ),
        migrations.CreateModel(
            name='Issue',
            fields=[],
            options={
                'verbose_name': 'ประเด็นการตรวจราชการ',
                'verbose_name_plural': 'ประเด็นการตรวจราชการ',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('frameworks.frameworknode',),
        ),
        migrations.CreateModel(
            name='Question',
            fields=[],
            options={
                'verbose_name': 'คำถาม',
                'verbose_name_plural': 'คำถาม',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('frameworks.frameworknode',),
        ),
        migrations.RenameField(model_name='entry', old_name='framework_node_fw', new_name='framework'),
        migrations.RenameField(model_name='entry', old_name='issue_node', new_name='issue'),
        migrations.RenameField(model_name='entry', old_name='question_node', new_name='question'),
        migrations.RenameField(model_name='inspectionreport', old_name='framework_node_fw', new_name='framework'),
        migrations.RenameField(model_name='inspectionreport', old_name='omitted_nodes', new_name='omitted_issues'),
        migrations.AlterField(
            model_name='entry',
            name='framework',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='inspection.inspectionframework'),
        ),
        migrations.AlterField(
            model_name='entry',
            name='issue',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='inspection.issue'),
        ),
        migrations.AlterField(
            model_name='entry',
            name='question',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='question_entries', to='inspection.question'),
        ),
        migrations.AlterField(
            model_name='inspectionreport',
            name='framework',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='inspection_reports', to='inspection.inspectionframework', verbose_name='กรอบการตรวจราชการ'),
        ),
        migrations.AlterField(
            model_name='inspectionreport',
            name='omitted_issues',
            field=models.ManyToManyField(blank=True, related_name='+', to='inspection.issue', verbose_name='ประเด็นที่ไม่รายงาน'),
        ),
        migrations.AlterUniqueTogether(name='inspectionreport', unique_together={('framework', 'round', 'org')}),
        migrations.AlterModelOptions(
            name='entry',
            options={'ordering': ['issue__position', 'created_at', 'pk'], 'verbose_name': 'ข้อมูลที่หน่วยงานรายงาน', 'verbose_name_plural': 'ข้อมูลที่หน่วยงานรายงาน'},
        ),
    ]
