from django.contrib import admin

from tidtam.validation.models import ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "framework", "kind", "severity", "name_th", "active")
    list_filter = ("framework", "kind", "severity", "active")
    search_fields = ("code", "name_th", "left", "right")
