from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "tidtam.measures"
    verbose_name = "ทะเบียนรายการข้อมูลและค่าข้อมูล"
    default_auto_field = "django.db.models.BigAutoField"
