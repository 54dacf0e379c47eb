from django.contrib import admin

from tidtam.audit.admin import ReadOnlyAdmin
from tidtam.ingest.models import ImportedSheet


@admin.register(ImportedSheet)
class ImportedSheetAdmin(ReadOnlyAdmin):
    """Read-only and never deleted: drafts are decided on the review page, and kept as history."""

    list_display = ("number", "kind", "org", "fiscal_year", "source_name", "status", "created_at")
    list_filter = ("kind", "status", "fiscal_year")
    search_fields = ("org__name_th", "org__code", "source_name")

    @admin.display(description="เลขที่", ordering="pk")
    def number(self, sheet: ImportedSheet) -> int:
        return sheet.pk
