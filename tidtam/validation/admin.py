from django.contrib import admin

from tidtam.audit.admin import AuditedAdmin
from tidtam.validation.models import ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(AuditedAdmin):
    list_display = ("code", "framework", "kind", "severity", "name_th", "active")
    list_filter = ("framework", "kind", "severity", "active")
    search_fields = ("code", "name_th", "left", "right")
