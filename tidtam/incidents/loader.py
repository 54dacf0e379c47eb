"""Loading ``fixtures/threats.yaml``: threat groups and types, deadlines, what feeds what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tidtam.fixtures import FixtureError, LoadResult, choice, upsert
from tidtam.incidents.models import (
    ClosingLevelRule,
    FeedPeriod,
    FeedSetting,
    State,
    StateDeadline,
    ThreatGroup,
    ThreatType,
)
from tidtam.measures.models import PeriodType

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "threats.yaml"


def load_threats(path: Path = FIXTURE) -> LoadResult:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = LoadResult()
    where = path.name
    with transaction.atomic():
        for gpos, g in enumerate(data.get("groups", [])):
            here = f"{where} กลุ่มภัย {g.get('code', gpos + 1)}"
            if not g.get("code") or not g.get("name_th"):
                raise FixtureError(f"{here}: ต้องมี code และ name_th")
            group = upsert(ThreatGroup, {"code": str(g["code"])}, {
                "name_th": str(g["name_th"]), "category": str(g.get("category", g["code"])),
                "source": str(g.get("source", "")), "position": gpos,
            }, result)
            for tpos, t in enumerate(g.get("types", [])):
                upsert(ThreatType, {"code": str(t["code"])}, {
                    "group": group, "name_th": str(t["name_th"]), "position": tpos,
                }, result)
        for d in data.get("deadlines", []):
            state = choice(d.get("state"), State, f"{where} deadlines")
            upsert(StateDeadline, {"state": state}, {"hours": int(d["hours"])}, result)
        for r in data.get("closing_levels", []):
            upsert(ClosingLevelRule, {"org_type": str(r["org_type"])},
                   {"option": str(r["option"])}, result)
        for key, code in (data.get("measures") or {}).items():
            upsert(FeedSetting, {"key": str(key)}, {"measure_code": str(code)}, result)
        periods = [str(p) for p in data.get("periods") or ["year"]]
        known = set(PeriodType.objects.values_list("code", flat=True))
        for pos, code in enumerate(periods):
            if known and code not in known:
                raise FixtureError(f"{where} periods: ไม่รู้จักประเภทช่วงเวลา '{code}'")
            upsert(FeedPeriod, {"code": code}, {"position": pos}, result)
        result.changed += FeedPeriod.objects.exclude(code__in=periods).delete()[0]
    return result
