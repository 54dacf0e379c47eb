from django.contrib import admin
from django.urls import include, path

from tidtam.api.api import api

urlpatterns = [
    path("", include("tidtam.accounts.auth_urls")),
    path("accounts/", include("tidtam.accounts.urls")),
    path("admin/", admin.site.urls),
    path("imports/", include("tidtam.ingest.urls")),
    path("analytics/", include("tidtam.analytics.urls")),
    path("inspection/", include("tidtam.inspection.urls")),
    path("plans/", include("tidtam.plans.urls")),
    path("narratives/", include("tidtam.narratives.urls")),
    path("search/", include("tidtam.search.urls")),
    path("notifications/", include("tidtam.notifications.urls")),
    path("api/", api.urls),
    path("", include("tidtam.reporting.urls")),
    path("", include("tidtam.web.urls")),
]
