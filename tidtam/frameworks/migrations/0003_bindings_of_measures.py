"""Data elements become bindings of the register of measures.

Before, a data element held its own type and unit, so ``learners_total`` was
three separate questions in the Quick Policy. Now the fact is a ``Measure`` of
the fiscal year's register and the element binds it. For a database made
before this change, every element's measure is created here from the element
itself, under the code the register gives that fact; ``tidtam init`` then
loads the register's names and definitions over them.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

#: (framework, node, element) → measure code, where the element's code does not name
#: the fact on its own (QP10's ``schools_total`` counts quality schools, not schools).
#: Frozen here: a migration must give the same result whatever the fixtures say later.
MEASURE_OF = {
    ("qp", '1', 'plan_date'): 'safety_plan_date',
    ("qp", '3', 'learners_joined'): 'learners_royal_guidelines',
    ("qp", '6a', 'children_assessed'): 'k3_children_assessed',
    ("qp", '6a', 'children_level3'): 'k3_children_level3',
    ("qp", '6a', 'children_level3_pct'): 'k3_children_level3_pct',
    ("qp", '8', 'learners_joined'): 'learners_democracy',
    ("qp", '8', 'schools_with_activities'): 'schools_democracy',
    ("qp", '9', 'model_teachers'): 'history_model_teachers',
    ("qp", '9', 'schools_best_practice'): 'schools_history_best_practice',
    ("qp", '10', 'schools_primary'): 'quality_schools_primary',
    ("qp", '10', 'schools_secondary'): 'quality_schools_secondary',
    ("qp", '10', 'schools_standalone'): 'quality_schools_standalone',
    ("qp", '10', 'schools_total'): 'quality_schools_total',
    ("qp", '10', 'school_names'): 'quality_school_names',
    ("qp", 'X1', 'students'): 'role_model_students',
    ("qp", 'X1', 'teachers'): 'role_model_teachers',
    ("qp", 'X1', 'administrators'): 'role_model_administrators',
    ("qp", 'X1', 'community'): 'role_model_community',
    ("qp", 'X1', 'total'): 'role_model_total',
    ("qp", 'X1', 'announced_date'): 'role_models_announced_date',
    ("qp", 'X2', 'systems_count'): 'mgmt_systems_count',
    ("qp", 'X2', 'system_names'): 'mgmt_system_names',
}

#: The role each QP binding plays (the ratios of the national synthesis).
ROLE_OF = {
    ("qp", '1', 'learners_total'): 'denominator',
    ("qp", '1', 'learners_all_threats'): 'numerator',
    ("qp", '1', 'learners_cyber'): 'numerator',
    ("qp", '2', 'dropouts_found'): 'denominator',
    ("qp", '2', 'dropouts_returned'): 'numerator',
    ("qp", '2', 'dropouts_referred'): 'numerator',
    ("qp", '3', 'learners_total'): 'denominator',
    ("qp", '3', 'learners_joined'): 'numerator',
    ("qp", '4', 'schools_total'): 'denominator',
    ("qp", '4', 'schools_using_results'): 'numerator',
    ("qp", '5', 'schools_total'): 'denominator',
    ("qp", '5', 'schools_active_learning'): 'numerator',
    ("qp", '6a', 'children_assessed'): 'denominator',
    ("qp", '6a', 'children_level3'): 'numerator',
    ("qp", '6b', 'm3_graduates'): 'denominator',
    ("qp", '6b', 'm3_continuing'): 'numerator',
    ("qp", '6b', 'm6_graduates'): 'denominator',
    ("qp", '6b', 'm6_continuing'): 'numerator',
    ("qp", '7', 'learners_screened'): 'denominator',
    ("qp", '7', 'learners_with_loss'): 'numerator',
    ("qp", '7', 'learners_improved'): 'numerator',
    ("qp", '8', 'learners_total'): 'denominator',
    ("qp", '8', 'learners_joined'): 'numerator',
    ("qp", '8', 'schools_total'): 'denominator',
    ("qp", '8', 'schools_with_activities'): 'numerator',
    ("qp", '9', 'history_teachers'): 'denominator',
    ("qp", '9', 'model_teachers'): 'numerator',
    ("qp", '9', 'schools_total'): 'denominator',
    ("qp", '9', 'schools_best_practice'): 'numerator',
    ("qp", '10', 'schools_primary'): 'part',
    ("qp", '10', 'schools_secondary'): 'part',
    ("qp", '10', 'schools_standalone'): 'part',
    ("qp", '10', 'schools_total'): 'total',
    ("qp", 'X1', 'students'): 'part',
    ("qp", 'X1', 'teachers'): 'part',
    ("qp", 'X1', 'administrators'): 'part',
    ("qp", 'X1', 'community'): 'part',
    ("qp", 'X1', 'total'): 'total',
}


def bind(apps, schema_editor):
    DataElement = apps.get_model("frameworks", "DataElement")
    Measure = apps.get_model("measures", "Measure")
    made: dict[tuple[int, str], Any] = {}
    for el in DataElement.objects.select_related("node__framework").order_by("pk"):
        fw = el.node.framework
        key = (fw.code, el.node.code, el.code)
        code = MEASURE_OF.get(key, el.code)
        measure = made.get((fw.fiscal_year, code))
        if measure is None:
            measure, _ = Measure.objects.get_or_create(
                fiscal_year=fw.fiscal_year, code=code,
                defaults={"name_th": el.name_th, "value_type": el.value_type, "unit": el.unit,
                          "aggregation": "none" if el.value_type in ("date", "text", "list")
                          else "sum"},
            )
            made[(fw.fiscal_year, code)] = measure
        el.measure = measure
        el.role = ROLE_OF.get(key, "value")
        el.save(update_fields=["measure", "role"])


def unbind(apps, schema_editor):
    DataElement = apps.get_model("frameworks", "DataElement")
    for el in DataElement.objects.select_related("measure"):
        el.value_type, el.unit = el.measure.value_type, el.measure.unit
        el.save(update_fields=["value_type", "unit"])


class Migration(migrations.Migration):

    dependencies = [
        ("frameworks", "0002_data_elements"),
        ("measures", "0001_register_and_observations"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="dataelement",
            options={"base_manager_name": "objects", "ordering": ["node", "position"],
                      "verbose_name": "รายการข้อมูลที่ถามในกรอบ",
                      "verbose_name_plural": "รายการข้อมูลที่ถามในกรอบ"},
        ),
        migrations.AddField(
            model_name="dataelement",
            name="measure",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="bindings", to="measures.measure",
                                    verbose_name="รายการข้อมูลกลาง"),
        ),
        migrations.AddField(
            model_name="dataelement",
            name="period",
            field=models.CharField(blank=True, max_length=16, verbose_name="ช่วงเวลาที่ถาม",
                                   help_text="ว่าง = รอบของรายงาน; หรือรหัสประเภทช่วงเวลา เช่น year"),
        ),
        migrations.AddField(
            model_name="dataelement",
            name="role",
            field=models.CharField(choices=[("value", "ค่าที่รายงาน"), ("numerator", "ตัวตั้ง"),
                                            ("denominator", "ตัวหาร"), ("total", "ยอดรวม"),
                                            ("part", "ส่วนย่อยของยอดรวม")],
                                   default="value", max_length=16, verbose_name="บทบาท"),
        ),
        migrations.AddField(
            model_name="dataelement",
            name="category",
            field=models.CharField(blank=True, max_length=200, verbose_name="จำแนก"),
        ),
        migrations.AlterField(
            model_name="dataelement",
            name="name_th",
            field=models.CharField(max_length=500, verbose_name="ชื่อข้อมูลในแบบรายงานนี้"),
        ),
        migrations.RunPython(bind, unbind),
    ]
