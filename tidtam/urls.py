from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tidtam.api.api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("imports/", include("tidtam.ingest.urls")),
    path("analytics/", include("tidtam.analytics.urls")),
    path("inspection/", include("tidtam.inspection.urls")),
    path("plans/", include("tidtam.plans.urls")),
    path("search/", include("tidtam.search.urls")),
    path("notifications/", include("tidtam.notifications.urls")),
    path("api/", api.urls),
    path("", include("tidtam.reporting.urls")),
    path("", include("tidtam.web.urls")),
]
