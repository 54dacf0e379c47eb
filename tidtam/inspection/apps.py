from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "tidtam.inspection"
    verbose_name = "การตรวจราชการ"
