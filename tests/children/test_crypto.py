"""A child's national ID is encrypted at rest: a dump or a backup holds no ID in the clear."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from tests.children.lists import child
from tidtam.children import crypto
from tidtam.children.models import Case
from tidtam.children.nationalid import keyed_hash

pytestmark = pytest.mark.django_db


def _stored(case: Case) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT national_id FROM children_case WHERE id = %s", [case.pk])
        return str(cur.fetchone()[0])


def test_the_column_holds_no_id_and_the_model_reads_it_back(imported: dict[str, Any]) -> None:
    digits = child(5)[0]
    case = Case.objects.get(id_hash=keyed_hash(digits))
    stored = _stored(case)
    assert stored.startswith(crypto.PREFIX) and digits not in stored
    assert case.national_id == digits
    with connection.cursor() as cur:  # every row, not just one
        cur.execute("SELECT national_id FROM children_case")
        assert all(row[0].startswith(crypto.PREFIX) for row in cur.fetchall())


def test_a_new_key_in_front_still_reads_what_the_old_one_wrote(
        imported: dict[str, Any]) -> None:
    digits = child(5)[0]
    old = Fernet.generate_key().decode()
    new = Fernet.generate_key().decode()
    case = Case.objects.get(id_hash=keyed_hash(digits))  # read under the default key
    with override_settings(TIDTAM_DATA_KEYS=[old]):
        case.save()  # written under the old key
    with override_settings(TIDTAM_DATA_KEYS=[new, old]):
        assert Case.objects.get(pk=case.pk).national_id == digits
    with override_settings(TIDTAM_DATA_KEYS=[new]), pytest.raises(ImproperlyConfigured) as exc:
        Case.objects.get(pk=case.pk)
    assert "ถอดรหัสเลขประจำตัวเด็กไม่ได้" in str(exc.value)
