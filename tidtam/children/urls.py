from django.urls import path

from tidtam.children import views

app_name = "children"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("overdue/", views.overdue, name="overdue"),
    path("import/", views.import_list, name="import"),
    path("export.csv", views.export, name="export"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/step/", views.case_step, name="step"),
    path("coordination/<str:code>/", views.coordination, name="coordination"),
    path("dashboard/<str:code>/", views.dashboard, name="dashboard"),
]
