from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "tidtam.reporting"
    verbose_name = "การรายงานผล"
