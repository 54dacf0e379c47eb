from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "tidtam.ingest"
    verbose_name = "นำเข้าเอกสารเดิม"
