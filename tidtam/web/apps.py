from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tidtam.web"
    verbose_name = "หน้าเว็บ"
