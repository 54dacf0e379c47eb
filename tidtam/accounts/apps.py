from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tidtam.accounts"
    verbose_name = "ผู้ใช้และสิทธิ์"
