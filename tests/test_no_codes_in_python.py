"""Frameworks are data: no indicator code may be written into the Python code."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parent.parent / "tidtam"


def _codes() -> set[str]:
    codes: set[str] = set()

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            codes.add(str(n["code"]))
            walk(n.get("children", []))

    for f in (PACKAGE / "frameworks" / "fixtures").rglob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "nodes" in data:
            walk(data["nodes"])
    return codes


def test_no_indicator_code_in_python_sources() -> None:
    # Codes that are also ordinary numbers ("1", "10") can't be told apart from
    # any other literal; the distinctive ones ("6a", "X1", "3.4.3.2") can.
    distinctive = {c for c in _codes() if not c.isdigit()}
    assert {"6a", "X1", "3.4.3.2"} <= distinctive
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for code in distinctive:
            if re.search(rf"""["']{re.escape(code)}["']""", text):
                offenders.append(f"{path.relative_to(PACKAGE)}: {code}")
    assert offenders == []
