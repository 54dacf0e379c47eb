from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "tidtam.incidents"
    verbose_name = "ทะเบียนเหตุความปลอดภัยในสถานศึกษา (MOE Safety Center)"
