from django.urls import path

from tidtam.analytics import views

app_name = "analytics"
urlpatterns = [
    path("synthesis/", views.synthesis, name="synthesis"),
    path("synthesis/<int:year>/<str:round>.<str:fmt>", views.synthesis_download,
         name="synthesis_download"),
    path("synthesis/<int:year>/<str:round>/<str:code>/pick/", views.pick_view, name="pick"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<str:name>.<str:fmt>", views.dashboard_download, name="dashboard_download"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<str:pk>/", views.job, name="job"),
]
