"""How much of damaged Thai ``repair`` restores, measured on text it was not built on.

``python -m tidtam.ingest.repair_benchmark [FILE …]`` takes clean Thai text
(default: seed 000, the national QP synthesis, whose text extracted cleanly),
damages every line of at least ten Thai letters with each defect kind of
``thai_corrupt`` in turn (fixed random seed, so the figures are repeatable)
and prints, per kind, the share of damaged lines that come back exactly.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

from tidtam.ingest.thai_corrupt import DEFECTS
from tidtam.ingest.thai_repair import normalise_spaces, repair

_THAI = re.compile("[\u0e01-\u0e4e]")
DEFAULT_SOURCE = "seeds/000_63dbd0405985a268.txt"


def sentences(text: str) -> list[str]:
    lines = [normalise_spaces(x).strip() for x in text.split("\n")]
    return [x for x in lines if len(_THAI.findall(x)) >= 10]


def measure(lines: list[str], seed: int = 2566) -> list[tuple[str, int, int, float]]:
    """(defect, restored, damaged, seconds) for every defect kind."""
    out = []
    for name, damage in DEFECTS.items():
        rng = random.Random(seed)
        restored = damaged = 0
        start = time.perf_counter()
        for line in lines:
            broken = damage(line, rng)
            if broken == line:
                continue
            damaged += 1
            restored += repair(broken) == line
        out.append((name, restored, damaged, time.perf_counter() - start))
    return out


def main(argv: list[str] | None = None) -> int:
    shared = Path(os.environ.get("TIDTAM_SHARED", Path(__file__).resolve().parents[2].parent
                                 / "shared"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[shared / DEFAULT_SOURCE])
    args = parser.parse_args(argv)
    for path in args.files:
        lines = sentences(path.read_text(encoding="utf-8"))
        print(f"\n{path.name}: {len(lines)} lines\n")
        print("| defect | restored exactly | share | seconds |")
        print("|---|---|---|---|")
        for name, restored, damaged, seconds in measure(lines):
            share = restored / damaged if damaged else 1.0
            print(f"| {name} | {restored}/{damaged} | {share:.1%} | {seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
