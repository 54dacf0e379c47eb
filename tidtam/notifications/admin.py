from django.contrib import admin

from tidtam.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "subject", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "kind", "key", "subject", "body", "url", "created_at",
                       "read_at", "emailed_at"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "in_app"]
