from django.urls import path, re_path

from tidtam.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/report/", views.report, name="report"),
    re_path(r"^(?P<pk>[0-9]+)/emenscr\.(?P<fmt>csv|xlsx)$", views.export, name="emenscr"),
    path("project/<int:pk>/", views.project_detail, name="project"),
    path("project/<int:pk>/audit/", views.project_audit, name="project_audit"),
    path("project/<int:pk>/q/<int:quarter>/", views.progress_save, name="progress_save"),
    path("project/<int:pk>/q/<int:quarter>/<str:action>/", views.progress_action,
         name="progress_action"),
]
