"""Deadlines per round in the admin: OBEC moves a due date without a deploy, and it is audited."""

from __future__ import annotations

from django.contrib import admin

from tidtam.audit.admin import AuditedAdmin
from tidtam.reporting.models import RoundSchedule


@admin.register(RoundSchedule)
class RoundScheduleAdmin(AuditedAdmin):
    list_display = ("framework", "round", "opens_on", "due_on", "block_late", "remind_days")
    list_filter = ("framework__fiscal_year", "framework", "block_late")
    ordering = ("framework__fiscal_year", "framework__order", "round")
