"""Org units in the admin: a change of parent moves the whole subtree, as ``orgs import`` does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from tidtam.audit.admin import AuditedAdmin
from tidtam.orgs.importer import refresh_paths
from tidtam.orgs.models import OrgUnit


class OrgUnitForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ("code", "name_th", "short_name_th", "type", "parent", "provinces", "is_active")

    def clean_parent(self) -> OrgUnit | None:
        parent: OrgUnit | None = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk is not None:
            # The stored paths tell the subtree: a unit can't move under itself.
            fresh = OrgUnit.objects.get(pk=unit.pk)
            if parent.pk == unit.pk or parent.path.startswith(fresh.path):
                raise forms.ValidationError(
                    f"ย้าย {fresh.display_name} ไปอยู่ใต้{parent.display_name} ไม่ได้ "
                    "เพราะเป็นหน่วยงานในสังกัดของตัวเอง (สายการบังคับบัญชาจะวนกลับ)"
                )
        return parent


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    form = OrgUnitForm
    list_display = ("code", "name_th", "type", "parent")
    list_filter = ("type",)
    search_fields = ("code", "name_th", "short_name_th")
    raw_id_fields = ("parent",)
    filter_horizontal = ("provinces",)

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm,
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "parent" in form.changed_data:
            moved = refresh_paths(obj)
            if moved:
                self.message_user(request, f"ย้ายหน่วยงานในสังกัดตามไปด้วย {moved:,} หน่วยงาน")
