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
    path("children/", include("tidtam.children.urls")),
    path("incidents/", include("tidtam.incidents.urls")),
    path("api/", api.urls),
    path("", include("tidtam.reporting.urls")),
    path("", include("tidtam.web.urls")),
]

# Thai error pages (tidtam/web/errors.py); with DEBUG on, ThaiErrorPages serves them too.
handler400 = "tidtam.web.errors.bad_request"
handler403 = "tidtam.web.errors.permission_denied"
handler404 = "tidtam.web.errors.page_not_found"
handler500 = "tidtam.web.errors.server_error"

# The admin's own headings, in Thai like the rest (Django's default is "Django administration").
admin.site.site_header = "ติดตาม · ผู้ดูแลระบบ"
admin.site.site_title = "ผู้ดูแลระบบ ติดตาม"
admin.site.index_title = "จัดการข้อมูลของระบบ"
