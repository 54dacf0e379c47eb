from django.contrib import admin

from tidtam.audit.admin import AuditedAdmin
from tidtam.frameworks.models import Band, BandTable, EvaluationCycle, Framework, FrameworkNode


class BandInline(admin.TabularInline):
    model = Band
    extra = 0


@admin.register(BandTable)
class BandTableAdmin(AuditedAdmin):
    inlines = [BandInline]


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ("code", "fiscal_year", "name_th", "layout", "overall")
    list_filter = ("fiscal_year",)


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(AuditedAdmin):
    list_display = ("framework", "code", "title_th", "method", "applies_to")
    list_filter = ("framework", "method", "applies_to")
    search_fields = ("code", "title_th")


admin.site.register(EvaluationCycle, AuditedAdmin)
