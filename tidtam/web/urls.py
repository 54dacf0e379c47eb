from django.urls import path

from tidtam.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("frameworks/<int:year>/<str:code>/", views.framework_detail, name="framework_detail"),
    path("sheets/<int:year>/<str:code>/", views.sheet, name="sheet"),
    path("sheets/<int:year>/<str:code>.<str:fmt>", views.sheet_download, name="sheet_download"),
]
