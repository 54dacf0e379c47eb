"""Account pages: signing in and passwords (Django's views), the second factor,
and office administrators' management of their colleagues' accounts.

Thin: the checks live in permissions.py, the changes in actions.py and
twofactor.py. An account the administrator does not manage is a 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tidtam.accounts import actions, lockout, permissions, twofactor
from tidtam.accounts.forms import (
    AccountForm,
    CodeForm,
    NewAccountForm,
    RoleForm,
    ThaiLoginForm,
    ThaiPasswordChangeForm,
    ThaiPasswordResetForm,
    ThaiSetPasswordForm,
)
from tidtam.accounts.models import Profile, RoleAssignment
from tidtam.accounts.people import person_name
from tidtam.audit.models import AuditEntry


# --- Django's own views, with Thai forms, the audit and the unlock -------------------
class LoginView(auth_views.LoginView):
    form_class = ThaiLoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThaiPasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        actions.audit(self.request.user, "account.password", self.request.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThaiPasswordResetForm
    extra_email_context = {"site_name": actions.SITE_NAME}
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ThaiSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        first = not self.user.has_usable_password()
        response = super().form_valid(form)
        # Whoever can read the account's mailbox could reset it anyway, so a
        # new password also lifts a lockout (the lockout page says so).
        lockout.unlock(self.user.get_username())
        actions.audit(self.user, "account.password_reset", self.user,
                      comment="ตั้งรหัสผ่านครั้งแรกจากอีเมลเชิญ" if first else "")
        return response


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


# --- my account and the second factor --------------------------------------------------
@login_required
def me(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(request, "accounts/me.html", {
        "profile": Profile.objects.filter(user=user).select_related("org").first(),
        "roles": RoleAssignment.objects.filter(user=user).select_related("org"),
        "enrolled": twofactor.enrolled(user), "required": twofactor.required(user),
        "codes_left": twofactor.backup_codes_left(user),
    })


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enrol the app (or replace it), new backup codes, switch the second factor off."""
    user = request.user
    enrolled = twofactor.enrolled(user)
    if enrolled and not user.is_verified():  # type: ignore[union-attr]
        # A password alone must never be enough to put a new phone on an account.
        return redirect(f"{reverse('accounts:verify')}?next={reverse('accounts:second_factor')}")
    context: dict[str, Any] = {"required": twofactor.required(user), "enrolled": enrolled,
                               "next": _next(request)}
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "codes" and enrolled:
        codes = twofactor.new_backup_codes(user)
        actions.audit(user, "account.2fa_codes", user)
        return render(request, "accounts/backup_codes.html", {**context, "codes": codes})
    if request.method == "POST" and action == "remove" and enrolled:
        if context["required"]:
            raise PermissionDenied("บทบาทของท่านต้องใช้การยืนยันตัวตนสองขั้นตอน ปิดไม่ได้")
        form = CodeForm(request.POST)
        outcome = twofactor.verify(request, form.data.get("code", ""))
        if outcome.ok:
            twofactor.remove(user)
            actions.audit(user, "account.2fa_remove", user)
            messages.success(request, "ปิดการยืนยันตัวตนสองขั้นตอนแล้ว")
            return redirect("accounts:me")
        messages.error(request, outcome.message)
        return redirect("accounts:second_factor")
    if not enrolled or request.GET.get("replace") or action == "confirm":
        device = twofactor.pending_device(user)
        form = CodeForm(request.POST if action == "confirm" else None)
        if action == "confirm" and form.is_valid():
            outcome, codes = twofactor.confirm(request, device, form.cleaned_data["code"])
            if outcome.ok:
                actions.audit(user, "account.2fa_enrol", user)
                return render(request, "accounts/backup_codes.html", {
                    **context, "codes": codes, "enrolled_now": True})
            form.add_error("code", outcome.message)
        return render(request, "accounts/enrol.html", {
            **context, "form": form, "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret(device), "replacing": enrolled,
        })
    return render(request, "accounts/second_factor.html", {
        **context, "codes_left": twofactor.backup_codes_left(user),
        "device": twofactor.app_device(user),
    })


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The code asked for after the password (from the app, or a backup code)."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next(request))
    if not twofactor.enrolled(user):
        return redirect(f"{reverse('accounts:second_factor')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.verify(request, form.cleaned_data["code"])
        if outcome.ok:
            left = twofactor.backup_codes_left(user)
            if left <= 2:
                messages.warning(request, f"เหลือรหัสสำรองอีก {left} รหัส "
                                          "กรุณาสร้างชุดใหม่ที่หน้าการยืนยันตัวตนสองขั้นตอน")
            return HttpResponseRedirect(_next(request))
        form.add_error("code", outcome.message)
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


# --- office administrators: their colleagues' accounts ----------------------------------
def _manager(request: HttpRequest) -> User:
    if not permissions.manages_users(request.user):
        raise Http404("ไม่พบหน้านี้")
    return request.user  # type: ignore[return-value]


def _account(request: HttpRequest, pk: int) -> User:
    account = get_object_or_404(get_user_model().objects.select_related("profile__org"), pk=pk)
    if not permissions.can_see_account(request.user, account):
        raise Http404("ไม่พบผู้ใช้นี้ในหน่วยงานที่ท่านดูแล")
    return account


@login_required
def users(request: HttpRequest) -> HttpResponse:
    by = _manager(request)
    q = request.GET.get("q", "").strip()
    accounts = permissions.visible_accounts(by).select_related("profile__org").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("org")))
    if q:
        accounts = accounts.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
            | Q(email__icontains=q) | Q(profile__org__code__iexact=q)
            | Q(profile__org__name_th__icontains=q))
    accounts = accounts.order_by("-is_active", "profile__org__path", "first_name", "username")
    return render(request, "accounts/users.html", {
        "accounts": accounts[:500], "total": accounts.count(), "q": q,
        "units": permissions.administered_units(by),
    })


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    by = _manager(request)
    own = permissions.administered_units(by).order_by("path").first()
    form = NewAccountForm(by, request.POST or None, initial={"org": own.code if own else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = actions.create_account(
            by, username=d["username"], first_name=d["first_name"], last_name=d["last_name"],
            email=d["email"], org=d["org"], position=d["position"], role=d["role"])
        _send(request, account, f"สร้างบัญชีของ {person_name(account)} แล้ว")
        return redirect("accounts:user", account.pk)
    return render(request, "accounts/user_new.html", {"form": form})


def _send(request: HttpRequest, account: User, done: str = "") -> None:
    try:
        actions.send_password_email(request, account)
    except (OSError, ValueError) as exc:  # the mail server is down, or no address
        messages.warning(request, f"{done} แต่ส่งอีเมลตั้งรหัสผ่านไม่สำเร็จ ({exc}) "
                                  "กรุณากดส่งอีเมลตั้งรหัสผ่านอีกครั้งภายหลัง".strip())
        return
    sent = f"ส่งอีเมลให้ตั้งรหัสผ่านไปที่ {account.email} แล้ว"
    messages.success(request, f"{done} {sent}" if done else sent)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    by = _manager(request)
    account = _account(request, pk)
    can_manage = permissions.can_manage_account(by, account)
    profile = getattr(account, "profile", None)
    edit = AccountForm(by, request.POST or None, account=account, initial={
        "first_name": account.first_name, "last_name": account.last_name,
        "email": account.email, "position": profile.position if profile else "",
        "org": profile.org.code if profile and profile.org else "",
    })
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(actions.NOT_YOURS)
        if edit.is_valid():
            d = edit.cleaned_data
            changed = actions.update_account(
                by, account, first_name=d["first_name"], last_name=d["last_name"],
                email=d["email"], position=d["position"], org=d["org"])
            messages.success(request, "บันทึกข้อมูลผู้ใช้แล้ว" if changed else "ไม่มีข้อมูลที่เปลี่ยน")
            return redirect("accounts:user", account.pk)
    roles = [
        (ra, permissions.can_change_role(by, account, ra.role, ra.org))
        for ra in RoleAssignment.objects.filter(user=account).select_related("org")
        .order_by("org__path", "role")
    ]
    return render(request, "accounts/user_detail.html", {
        "account": account, "profile": profile, "roles": roles, "can_manage": can_manage,
        "is_self": account.pk == by.pk, "edit": edit,
        "role_form": RoleForm(by, initial={"org": profile.org.code if profile and profile.org
                                           else ""}),
        "locked": lockout.is_locked(account.get_username()),
        "enrolled": twofactor.enrolled(account), "required": twofactor.required(account),
        "history": AuditEntry.objects.about(account).select_related("user", "org")[:100],
    })


def account_action(view: Callable[..., str | None]) -> Callable[..., HttpResponse]:
    """A POST on one managed account: checks, then back to the account's page.

    The view does the change and returns the Thai message to show (or None
    when it has set its own messages).
    """
    @functools.wraps(view)
    @login_required
    @require_POST
    def wrapper(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
        by = _manager(request)
        account = _account(request, pk)
        done = view(request, by, account, **kwargs)
        if done:
            messages.success(request, done)
        return redirect("accounts:user", account.pk)
    return wrapper


@account_action
def user_role_add(request: HttpRequest, by: User, account: User) -> str | None:
    form = RoleForm(by, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return None
    org, role = form.cleaned_data["org"], form.role_value()
    try:
        actions.grant_role(by, account, role, org)
    except ValueError as exc:
        messages.error(request, str(exc))
        return None
    return f"กำหนดบทบาท{role.label}ที่{org.display_name} ให้ {person_name(account)} แล้ว"


@account_action
def user_role_remove(request: HttpRequest, by: User, account: User, rid: int) -> str:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("org", "user"),
                                   pk=rid, user=account)
    actions.revoke_role(by, assignment)
    return f"ยกเลิกบทบาท{assignment.get_role_display()}ที่{assignment.org.display_name}แล้ว"


@account_action
def user_active(request: HttpRequest, by: User, account: User) -> str:
    active = request.POST.get("active") == "1"
    actions.set_active(by, account, active)
    if active:
        return f"เปิดใช้งานบัญชีของ {person_name(account)} อีกครั้งแล้ว"
    return f"ระงับการใช้งานบัญชีของ {person_name(account)} แล้ว (ประวัติการทำงานยังอยู่ครบ)"


@account_action
def user_invite(request: HttpRequest, by: User, account: User) -> None:
    if not permissions.can_manage_account(by, account):
        raise PermissionDenied(actions.NOT_YOURS)
    _send(request, account)


@account_action
def user_unlock(request: HttpRequest, by: User, account: User) -> str:
    actions.unlock(by, account)
    return f"ปลดล็อกบัญชีของ {person_name(account)} แล้ว เข้าสู่ระบบได้ทันที"


@account_action
def user_second_factor_reset(request: HttpRequest, by: User, account: User) -> str:
    actions.reset_second_factor(by, account)
    return (f"ยกเลิกแอปยืนยันตัวตนและรหัสสำรองของ {person_name(account)} แล้ว "
            "เมื่อเข้าสู่ระบบครั้งถัดไปจะต้องลงทะเบียนแอปใหม่")
