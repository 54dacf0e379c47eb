from django.apps import AppConfig


class ValidationConfig(AppConfig):
    name = "tidtam.validation"
    verbose_name = "กฎตรวจสอบความถูกต้องของข้อมูล"
