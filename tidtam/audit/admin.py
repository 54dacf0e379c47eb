"""The audit log in the admin (read only), and the mixin that audits every admin change.

``AuditedAdmin`` is the base of every ModelAdmin of tidtam: an addition, a
change (fields, many-to-many and inline rows) or a deletion made in the
admin writes an audit entry with the field values before and after, like
every other path that changes data. Django's own admin log keeps no values.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from tidtam.audit.describe import describe_text
from tidtam.audit.log import changes, record, snapshot
from tidtam.audit.models import Action, AuditEntry

BEFORE_ATTR = "_tidtam_audit_before"


def _stored(obj: models.Model) -> dict[str, Any] | None:
    """The row as the database has it now (None for a row not saved yet)."""
    if obj.pk is None:
        return None
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(fresh) if fresh is not None else None


def _record_change(request: HttpRequest, obj: models.Model,
                   before: dict[str, Any] | None) -> None:
    after = snapshot(obj)
    if before is None:
        record(request.user, Action.ADMIN_ADD, obj, after=after)
        return
    old, new = changes(before, after)
    if old or new:
        record(request.user, Action.ADMIN_CHANGE, obj, before=old, after=new)


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every addition, change and deletion made here."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        setattr(obj, BEFORE_ATTR, _stored(obj) if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any,
                     change: bool) -> None:
        # After the many-to-many fields and the inlines are saved, so they are in "after".
        super().save_related(request, form, formsets, change)
        obj = form.instance
        _record_change(request, obj, getattr(obj, BEFORE_ATTR, None))

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet,
                     change: bool) -> None:
        befores = {f.instance.pk: _stored(f.instance) for f in formset.initial_forms
                   if f.instance.pk is not None}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _record_change(request, obj, None)
        for obj, _fields in formset.changed_objects:
            _record_change(request, obj, befores.get(obj.pk))
        for obj in formset.deleted_objects:
            record(request.user, Action.ADMIN_DELETE, obj, before=befores.get(obj.pk))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(request.user, Action.ADMIN_DELETE, obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(request.user, Action.ADMIN_DELETE, obj, before=snapshot(obj))
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here (the "change" page only displays)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "target", "org")
    list_filter = ("action",)
    search_fields = ("target", "comment", "user__username", "org__code", "org__name_th")
    date_hierarchy = "at"
    fields = ("at", "user", "org", "submission", "action", "target", "content_type",
              "object_id", "described", "comment")
    readonly_fields = fields

    @admin.display(description="ก่อน → หลัง")
    def described(self, entry: AuditEntry) -> str:
        return describe_text(entry)
