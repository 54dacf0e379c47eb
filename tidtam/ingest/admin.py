from django.contrib import admin

from tidtam.ingest.models import ImportedSheet


@admin.register(ImportedSheet)
class ImportedSheetAdmin(admin.ModelAdmin):
    """Read-only: drafts are accepted or rejected on the review page, which writes the ratings."""

    list_display = ("pk", "kind", "org", "fiscal_year", "source_name", "status", "created_at")
    list_filter = ("kind", "status", "fiscal_year")
    search_fields = ("org__name_th", "org__code", "source_name")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
