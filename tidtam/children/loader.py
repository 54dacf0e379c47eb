"""Load ``fixtures/children.yaml`` (kinds of help, agencies, deadlines) by upsert."""

from __future__ import annotations

from pathlib import Path

import yaml

from tidtam.children.models import Deadline, Option, OptionGroup, State, StepKind
from tidtam.fixtures import FixtureError, LoadResult, choice, upsert

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "children.yaml"


def load_children_options(path: Path = FIXTURE) -> int:
    """Upsert the options; returns how many rows changed (0 on a second run)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = LoadResult()
    groups = {"help_kinds": OptionGroup.HELP, "referral_agencies": OptionGroup.REFERRAL}
    for key, group in groups.items():
        for i, entry in enumerate(data.get(key) or []):
            if not entry.get("code") or not entry.get("name_th"):
                raise FixtureError(f"{path.name}: {key}[{i}] ต้องมี code และ name_th")
            upsert(Option, {"group": group, "code": str(entry["code"])},
                   {"name_th": entry["name_th"], "position": i}, result)
    for i, name in enumerate(data.get("own_affiliations") or []):
        upsert(Option, {"group": OptionGroup.OWN_AFFILIATION, "code": str(name).casefold()},
               {"name_th": str(name), "position": i}, result)
    for state, days in (data.get("deadlines") or {}).items():
        upsert(Deadline, {"state": choice(state, State, f"{path.name}: deadlines")},
               {"days": int(days)}, result)
    indicators = data.get("indicators") or {}
    for i, (code, spec) in enumerate((indicators.get("measures") or {}).items()):
        step = choice(spec.get("step"), StepKind, f"{path.name}: indicators.{code}.step")
        states = [choice(s, State, f"{path.name}: indicators.{code}.states")
                  for s in spec.get("states") or []]
        upsert(Option, {"group": OptionGroup.INDICATOR, "code": str(code)},
               {"name_th": ",".join([step, *states]), "position": i}, result)
    for i, ptype in enumerate(indicators.get("periods") or []):
        upsert(Option, {"group": OptionGroup.PERIOD, "code": str(ptype)},
               {"name_th": str(ptype), "position": i}, result)
    return result.changed


def indicator_specs() -> dict[str, tuple[str, list[str]]]:
    """measure code → (the step that dates a case, the states it must still be in)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for code, spec in Option.objects.filter(group=OptionGroup.INDICATOR).values_list(
            "code", "name_th"):
        step, *states = spec.split(",")
        out[code] = (step, states)
    return out


def indicator_periods() -> list[str]:
    return list(Option.objects.filter(group=OptionGroup.PERIOD).values_list("code", flat=True))


def options(group: str) -> list[tuple[str, str]]:
    return list(Option.objects.filter(group=group).values_list("code", "name_th"))


def own_affiliations() -> set[str]:
    return set(Option.objects.filter(group=OptionGroup.OWN_AFFILIATION)
               .values_list("code", flat=True))


def deadlines() -> dict[str, int]:
    return dict(Deadline.objects.values_list("state", "days"))
