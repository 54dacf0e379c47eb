"""The inspection framework in the admin: corrections to titles and questions without a deploy."""

from __future__ import annotations

from django.contrib import admin

from tidtam.audit.admin import AuditedAdmin
from tidtam.inspection.models import InspectionFramework, InspectionReport, Issue, Question


class QuestionInline(admin.TabularInline):
    model = Question
    fk_name = "parent"
    fields = ("number", "title_th", "definition", "levels", "position")
    extra = 0


@admin.register(Issue)
class IssueAdmin(AuditedAdmin):
    list_display = ("code", "title_th", "optional", "parent")
    list_filter = ("framework", "optional")
    inlines = [QuestionInline]


@admin.register(InspectionFramework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ("abbr", "fiscal_year", "name_th")


@admin.register(InspectionReport)
class ReportAdmin(AuditedAdmin):
    list_display = ("org", "framework", "round", "level", "status", "sent_at")
    list_filter = ("status", "level")
    readonly_fields = ("sent_at", "sent_by")
