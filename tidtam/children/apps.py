from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "tidtam.children"
    verbose_name = "พาน้องกลับมาเรียน (เด็กนอกระบบการศึกษา)"
