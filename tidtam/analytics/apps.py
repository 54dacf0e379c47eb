from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "tidtam.analytics"
    verbose_name = "การวิเคราะห์และสังเคราะห์ผล"
