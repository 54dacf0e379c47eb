"""The admin speaks Thai: every model's names, every field an admin page shows, its headings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

THAI = re.compile("[\u0e00-\u0e7f]")


def _ours() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("tidtam.")]


@pytest.mark.parametrize("model", _ours(), ids=lambda m: m._meta.label)
def test_every_model_is_named_in_thai(model: Any) -> None:
    name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    assert THAI.search(name), f"{model._meta.label}: {name!r}"
    assert THAI.search(plural) and not plural.endswith("s"), f"{model._meta.label}: {plural!r}"


def _admin_models() -> list[Any]:
    shown = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("tidtam."):
            continue
        shown.append(model)
        shown.extend(inline.model for inline in model_admin.inlines)
    return shown


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m._meta.label)
def test_every_field_the_admin_shows_is_named_in_thai(model: Any) -> None:
    english = [f.name for f in model._meta.get_fields()
               if getattr(f, "concrete", False) and not f.auto_created
               and not THAI.search(str(f.verbose_name))]
    assert english == [], f"{model._meta.label}: {english}"
    helps = [f.name for f in model._meta.get_fields()
             if getattr(f, "help_text", "") and not THAI.search(str(f.help_text))]
    assert helps == [], f"{model._meta.label} English help text: {helps}"


@pytest.mark.django_db
def test_admin_pages_render_in_thai(client: Client) -> None:
    client.force_login(get_user_model().objects.create_superuser("adm", password="x-long-pw-1"))
    index = client.get("/admin/").content.decode()
    assert "ติดตาม · ผู้ดูแลระบบ" in index and "Django administration" not in index
    assert "กรอบการตรวจราชการs" not in index
    for model in admin.site._registry:
        if not model.__module__.startswith("tidtam."):
            continue
        meta = model._meta
        page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert page.status_code == 200, meta.label
        # Column headers as the changelist names them, whether or not the list has rows yet.
        model_admin = admin.site._registry[model]
        headers = [str(label_for_field(name, model, model_admin))
                   for name in model_admin.get_list_display(RequestFactory().get("/"))
                   if name not in ("__str__", "action_checkbox")]
        assert all(THAI.search(h) or h.strip() in {"ID", "PK"} for h in headers), (meta.label,
                                                                                 headers)
