from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tidtam.search"
    verbose_name = "ค้นหาข้อความ"

    def ready(self) -> None:
        # Connected here, not by the indexed apps, so they need not know search exists.
        from tidtam.search.signals import connect

        connect()
