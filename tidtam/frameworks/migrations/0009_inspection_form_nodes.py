"""The inspection form becomes a framework: its layout, sub-sections and what its nodes carry.

A form nobody is rated on has no band table, so the band table may be empty.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('frameworks', '0008_thai_admin_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='framework',
            name='layout',
            field=models.CharField(choices=[('rounds', 'ตารางระดับคุณภาพรายรอบ'), ('rated_and_target', 'ตารางระดับคุณภาพและตารางเทียบค่าเป้าหมาย'), ('tree', 'ตารางมาตรฐานแบบลำดับชั้น'), ('plan', 'ตัวชี้วัดแม่แบบของแผนปฏิบัติการ'), ('inspection', 'แบบรายงานการตรวจราชการ')], max_length=32, verbose_name='รูปแบบตาราง'),
        ),
        migrations.AlterField(
            model_name='framework',
            name='band_table',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='frameworks.bandtable', verbose_name='เกณฑ์การแปลผล'),
        ),
        migrations.AddField(
            model_name='framework',
            name='sections',
            field=models.JSONField(blank=True, default=list, verbose_name='หัวข้อย่อยของแต่ละประเด็น'),
        ),
        migrations.AddField(
            model_name='frameworknode',
            name='optional',
            field=models.BooleanField(default=False, verbose_name='ไม่บังคับรายงาน'),
        ),
        migrations.AddField(
            model_name='frameworknode',
            name='definition',
            field=models.TextField(blank=True, verbose_name='นิยาม'),
        ),
        migrations.AddField(
            model_name='frameworknode',
            name='levels',
            field=models.JSONField(blank=True, default=list, verbose_name='ระดับรายงานที่ใช้'),
        ),
    ]
