from django.contrib.auth.decorators import login_required
from django.urls import path

from tidtam.web import errors, views

urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("frameworks/<int:year>/<str:code>/", views.framework_detail, name="framework_detail"),
    path("sheets/<int:year>/<str:code>/", views.sheet, name="sheet"),
    path("sheets/<int:year>/<str:code>.<str:fmt>", views.sheet_download, name="sheet_download"),
    path("session/csrf/", errors.csrf_token, name="csrf_token"),
    path("session/signed-in/", login_required(errors.signed_in_elsewhere), name="signed_in"),
]
