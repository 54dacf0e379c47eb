from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "tidtam.frameworks"
    verbose_name = "กรอบการประเมิน"
