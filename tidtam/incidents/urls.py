from django.urls import path

from tidtam.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("report/done/", views.reported, name="reported"),
    path("track/", views.track, name="track"),
    path("office/<str:code>/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/files/", views.upload, name="upload"),
    path("files/<int:pk>/", views.download, name="download"),
]
