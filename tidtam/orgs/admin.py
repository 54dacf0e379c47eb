from django.contrib import admin

from tidtam.orgs.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "type", "parent")
    list_filter = ("type",)
    search_fields = ("code", "name_th", "short_name_th")
    raw_id_fields = ("parent",)
    filter_horizontal = ("provinces",)
