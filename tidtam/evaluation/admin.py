from django.contrib import admin

from tidtam.audit.admin import AuditedAdmin
from tidtam.evaluation.models import Rating, Recommendation


@admin.register(Rating)
class RatingAdmin(AuditedAdmin):
    list_display = ("org", "framework", "node", "round", "status", "level")
    list_filter = ("framework", "round", "status")
    search_fields = ("org__code", "org__name_th", "node__code")
    raw_id_fields = ("org", "node")


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ("org", "node")
    raw_id_fields = ("org", "node")
