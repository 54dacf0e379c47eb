"""Roles, tokens and users in the admin: every change audited; users with history never deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from tidtam.accounts.models import ApiToken, RoleAssignment
from tidtam.audit.admin import AuditedAdmin
from tidtam.audit.log import record
from tidtam.audit.models import Action, AuditEntry


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "org")
    list_filter = ("role",)
    search_fields = ("user__username", "org__code", "org__name_th")
    raw_id_fields = ("org",)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


# --- users: audited, and deactivated rather than deleted once they have history ----------

User = get_user_model()
HISTORY_NOTE = (
    "ผู้ใช้ที่มีประวัติในบันทึกการเปลี่ยนแปลงลบไม่ได้ (ประวัติต้องบอกได้เสมอว่าใครทำอะไร) "
    "ให้ระงับการใช้งานแทน: ยกเลิกช่อง \"ใช้งาน\" หรือเลือก \"ระงับการใช้งานผู้ใช้ที่เลือก\" "
    "ผู้ใช้ที่ถูกระงับเข้าสู่ระบบและใช้ API ไม่ได้ แต่ชื่อยังอยู่ในประวัติ"
)


def has_history(user: Any) -> bool:
    return AuditEntry.objects.filter(user=user).exists()


def deactivate(request: HttpRequest, user: Any) -> bool:
    """Deactivate instead of deleting; returns whether anything changed (audited)."""
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(request.user, Action.USER_DEACTIVATE, user, target=user.get_username(),
           before={"is_active": True}, after={"is_active": False},
           comment="ผู้ใช้มีประวัติในบันทึกการเปลี่ยนแปลง จึงระงับการใช้งานแทนการลบ")
    return True


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("org",)


@admin.action(description="ระงับการใช้งานผู้ใช้ที่เลือก")
def deactivate_selected(modeladmin: Any, request: HttpRequest, queryset: Any) -> None:
    done = sum(deactivate(request, u) for u in queryset)
    modeladmin.message_user(request, f"ระงับการใช้งานแล้ว {done} คน")


class TidtamUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [RoleInline]
    actions = [deactivate_selected]

    def get_actions(self, request: HttpRequest) -> Any:
        # Deleting in bulk would bypass the rule below: only deactivation is offered.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and has_history(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: dict[str, Any] | None = None) -> Any:
        user = self.get_object(request, object_id)
        if user is not None and has_history(user) and self.has_change_permission(request, user):
            deactivate(request, user)
            self.message_user(request, HISTORY_NOTE, messages.WARNING)
            return redirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> Any:
        user = self.get_object(request, object_id)
        if user is not None and has_history(user):
            extra_context = {**(extra_context or {}), "subtitle": HISTORY_NOTE}
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(User)
admin.site.register(User, TidtamUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, type("GroupAudited", (AuditedAdmin, GroupAdmin), {}))
