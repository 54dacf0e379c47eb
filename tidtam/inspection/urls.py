from django.urls import path

from tidtam.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.home, name="home"),
    path("unit/<str:code>/", views.unit_page, name="unit"),
    path("unit/<str:code>/issue/<str:issue_code>/", views.unit_issue, name="unit_issue"),
    path("unit/<str:code>/entry/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("image/<int:pk>/", views.image, name="image"),
    path("report/<str:code>/", views.report_page, name="report"),
    path("report/<str:code>/do/<str:action>/", views.report_action, name="report_action"),
    path("report/<str:code>/view/", views.report_view, name="report_view"),
    path("report/<str:code>/audit/", views.report_audit, name="report_audit"),
    path("report/<str:code>/file.<str:fmt>", views.report_file, name="report_file"),
]
