from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tidtam.notifications"
    verbose_name = "การแจ้งเตือน"
