from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.children.lists import as_csv, as_xlsx, list_a, list_b
from tests.conftest import make_user

LISTED = dt.date(2022, 11, 1)  # FY2566, in the 6-month round


@pytest.fixture(autouse=True)
def _without_the_demo_list(db: None) -> None:
    """The demo's made-up list is loaded for every test; these tests count from nothing."""
    from tidtam.children.models import Case, ImportBatch

    Case.objects.all().delete()
    ImportBatch.objects.all().delete()


@pytest.fixture
def handler(db: None) -> Any:
    """A teacher who follows the children of สพม.ลำปาง ลำพูน."""
    return make_user("kru-a", "child_handler", "SPM-52-51")


@pytest.fixture
def imported(handler: Any) -> dict[str, Any]:
    from tidtam.children.importer import import_list

    first = import_list(handler, as_csv(list_a()), "list-a.csv", "รายชื่อ ก", LISTED)
    second = import_list(handler, as_xlsx(list_b()), "list-b.xlsx", "รายชื่อ ข", LISTED)
    return {"a": first, "b": second}
