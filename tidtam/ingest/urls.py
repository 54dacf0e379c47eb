from django.urls import path

from tidtam.ingest import views

app_name = "ingest"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.draft_detail, name="detail"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/source/", views.draft_source, name="source"),
    path("<int:pk>/accept/", views.draft_accept, name="accept"),
    path("<int:pk>/reject/", views.draft_reject, name="reject"),
]
