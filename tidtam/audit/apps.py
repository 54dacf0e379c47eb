from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tidtam.audit"
    verbose_name = "บันทึกการเปลี่ยนแปลง"
