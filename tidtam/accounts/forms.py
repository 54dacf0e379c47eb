"""Forms of the account pages, every message in Thai."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator

from tidtam.accounts.models import Role
from tidtam.accounts.permissions import grantable_roles, managed_units
from tidtam.orgs.models import OrgUnit

REQUIRED = {"required": "กรุณากรอกช่องนี้"}
UNIT_CHOICES_SHOWN = 400  # the datalist; any code of the subtree is accepted


class UnitCodeField(forms.CharField):
    """An org unit by its code, limited to the units the acting user manages."""

    def __init__(self, units: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", REQUIRED)
        super().__init__(**kwargs)
        self.units = units

    def clean(self, value: Any) -> OrgUnit:  # type: ignore[override]
        code = super().clean(value).strip()
        unit = self.units.filter(code=code).first() if self.units is not None else None
        if unit is None:
            raise forms.ValidationError(f"ไม่พบหน่วยงานรหัส {code} ในหน่วยงานที่ท่านดูแล")
        return unit


class AccountForm(forms.Form):
    first_name = forms.CharField(label="ชื่อ", max_length=150, error_messages=REQUIRED)
    last_name = forms.CharField(label="นามสกุล", max_length=150, error_messages=REQUIRED)
    email = forms.EmailField(label="อีเมล", error_messages={
        **REQUIRED, "invalid": "รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@obec.go.th"})
    position = forms.CharField(label="ตำแหน่ง", max_length=200, required=False)
    org = UnitCodeField(label="สังกัด (รหัสหน่วยงาน)", max_length=32)

    def __init__(self, by: Any, *args: Any, account: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        units = managed_units(by)
        self.fields["org"].units = units  # type: ignore[attr-defined]
        self.unit_choices = list(units.order_by("path")[:UNIT_CHOICES_SHOWN])

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        others = get_user_model().objects.filter(email__iexact=email)
        if self.account is not None:
            others = others.exclude(pk=self.account.pk)
        if others.exists():
            raise forms.ValidationError("อีเมลนี้เป็นของบัญชีอื่นอยู่แล้ว หนึ่งอีเมลใช้ได้หนึ่งบัญชี")
        return email


class NewAccountForm(AccountForm):
    username = forms.CharField(
        label="ชื่อผู้ใช้ (สำหรับเข้าสู่ระบบ)", max_length=150, error_messages=REQUIRED,
        help_text="ตัวอักษรภาษาอังกฤษ ตัวเลข และ . @ + - _ เท่านั้น เปลี่ยนภายหลังไม่ได้")
    role = forms.ChoiceField(label="บทบาทในสังกัด", required=False)

    field_order = ["username", "first_name", "last_name", "email", "position", "org", "role"]

    def __init__(self, by: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(by, *args, **kwargs)
        self.fields["role"].choices = [("", "ยังไม่กำหนด")] + [  # type: ignore[attr-defined]
            (r.value, r.label) for r in grantable_roles(by)]
        self.fields["role"].error_messages["invalid_choice"] = "ท่านไม่มีสิทธิ์กำหนดบทบาทนี้"

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        try:
            UnicodeUsernameValidator()(username)
        except forms.ValidationError:
            raise forms.ValidationError(
                "ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และ . @ + - _ ไม่มีเว้นวรรค") from None
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"มีผู้ใช้ชื่อ {username} อยู่แล้ว กรุณาเลือกชื่ออื่น")
        return username


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="บทบาท", error_messages={
        **REQUIRED, "invalid_choice": "ท่านไม่มีสิทธิ์กำหนดบทบาทนี้"})
    org = UnitCodeField(label="ในหน่วยงาน (รหัส)", max_length=32)

    def __init__(self, by: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (r.value, r.label) for r in grantable_roles(by)]
        units = managed_units(by)
        self.fields["org"].units = units  # type: ignore[attr-defined]
        self.unit_choices = list(units.order_by("path")[:UNIT_CHOICES_SHOWN])

    def role_value(self) -> Role:
        return Role(self.cleaned_data["role"])


# --- Django's password forms, with the messages Django's Thai catalogue lacks -------
MISMATCH = {"password_mismatch": "รหัสผ่านทั้งสองช่องไม่ตรงกัน กรุณาพิมพ์ให้เหมือนกัน"}
CONFIRM_HELP = "พิมพ์รหัสผ่านใหม่อีกครั้งเพื่อยืนยัน"


class ThaiSetPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {**auth_forms.SetPasswordForm.error_messages, **MISMATCH}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = CONFIRM_HELP
        for f in self.fields.values():
            f.error_messages["required"] = REQUIRED["required"]


class ThaiPasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages, **MISMATCH,
        "password_incorrect": "รหัสผ่านปัจจุบันไม่ถูกต้อง กรุณาพิมพ์อีกครั้ง",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "รหัสผ่านปัจจุบัน"
        self.fields["new_password2"].help_text = CONFIRM_HELP
        for f in self.fields.values():
            f.error_messages["required"] = REQUIRED["required"]


class ThaiPasswordResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email: str) -> Any:
        """Active accounts with this address, those without a password yet included.

        Django leaves out unusable passwords (accounts signed in some other
        way); here that only means a colleague whose invitation expired, who
        should be able to ask for a fresh link themselves.
        """
        return (u for u in get_user_model()._default_manager.filter(
            email__iexact=email, is_active=True) if u.email.casefold() == email.casefold())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "อีเมลที่ใช้กับบัญชี"
        self.fields["email"].error_messages.update({
            **REQUIRED, "invalid": "รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@obec.go.th"})


class ThaiLoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองอีกครั้ง",
        "inactive": "บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลผู้ใช้ของหน่วยงาน",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "ชื่อผู้ใช้"
        self.fields["password"].label = "รหัสผ่าน"
        for f in self.fields.values():
            f.error_messages["required"] = REQUIRED["required"]


class CodeForm(forms.Form):
    code = forms.CharField(label="รหัสยืนยัน", max_length=32, error_messages=REQUIRED)
