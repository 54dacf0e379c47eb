from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "tidtam.evaluation"
    verbose_name = "ผลการประเมิน"
