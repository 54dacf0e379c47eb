from django.apps import AppConfig


class NarrativesConfig(AppConfig):
    name = "tidtam.narratives"
    verbose_name = "ข้อความบรรยาย (เขียนครั้งเดียว ใช้ทุกรายงาน)"
    default_auto_field = "django.db.models.BigAutoField"
