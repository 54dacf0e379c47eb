from django.contrib import admin

from tidtam.accounts.models import ApiToken, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "org")
    list_filter = ("role",)
    search_fields = ("user__username", "org__code", "org__name_th")
    raw_id_fields = ("org",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
