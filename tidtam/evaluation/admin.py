from django.contrib import admin

from tidtam.evaluation.models import Rating, Recommendation


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("org", "framework", "node", "round", "status", "level", "actual_value")
    list_filter = ("framework", "round", "status")
    search_fields = ("org__code", "org__name_th", "node__code")
    raw_id_fields = ("org", "node")


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("org", "node")
    raw_id_fields = ("org", "node")
