from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tidtam.jobs"
    verbose_name = "งานเบื้องหลัง"
