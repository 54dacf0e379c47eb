from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running tidtam: backups and restores, security headers of documents, deployment checks."""

    name = "tidtam.ops"
    verbose_name = "การดูแลระบบ"

    def ready(self) -> None:
        from tidtam.ops import checks  # noqa: F401  (registers the system checks)
