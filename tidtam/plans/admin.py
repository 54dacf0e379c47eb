"""Admin pages for the planning group's reference data (plans, projects, budget lines)."""

from __future__ import annotations

from django.contrib import admin

from tidtam.audit.admin import AuditedAdmin
from tidtam.plans.models import (
    Activity,
    BudgetLine,
    Plan,
    PlanIndicator,
    Project,
    QuarterProgress,
)


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ("number", "title", "group_name", "owner_name", "budget")
    extra = 0
    show_change_link = True


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    fields = ("order", "category", "label", "allocated", "disbursed", "in_total")
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("title", "office", "fiscal_year")
    list_filter = ("fiscal_year",)
    search_fields = ("title", "office__name_th", "office__code")
    inlines = [ProjectInline, BudgetLineInline]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


class IndicatorInline(admin.StackedInline):
    model = PlanIndicator
    extra = 0


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ("number", "title", "plan", "budget")
    list_filter = ("plan__fiscal_year",)
    search_fields = ("title", "owner_name", "group_name")
    # the words are generated from the budget; shown, never edited
    readonly_fields = ("budget_words",)
    inlines = [ActivityInline, IndicatorInline]


@admin.register(QuarterProgress)
class QuarterProgressAdmin(AuditedAdmin):
    list_display = ("project", "quarter", "money_spent", "state", "updated_at")
    list_filter = ("state", "quarter")
    # progress is changed through its workflow (audited), not here
    readonly_fields = ("project", "quarter", "activities_done", "money_spent", "indicator_actuals",
                       "problems", "state", "comment", "updated_by", "updated_at")
