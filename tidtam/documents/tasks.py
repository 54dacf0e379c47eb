"""Batch documents as background tasks: one task per office's result sheet.

A task is idempotent by design, so a worker that dies in the middle of one
(and the task run again by another, ``tidtam.jobs.recovery``) never costs a
document or makes one twice:

- what a document is made from is summed up in a digest of its inputs: the
  sheet's content model (everything every format prints), the format and
  tidtam's version;
- beside each document, in the folder's hidden ``.tidtam/``, a small manifest
  records that digest and the document's own SHA-256. A task whose document
  exists, matches its manifest and was made from the same inputs returns at
  once ("skipped"); otherwise it renders;
- the document is written to a temporary file in ``.tidtam/`` and renamed into
  place, after its manifest: a file in the folder is always a whole document,
  and a manifest never vouches for a file that is not the one it describes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import tidtam
from tidtam.jobs.tasks import background

HIDDEN = ".tidtam"


def inputs_digest(sheet: dict[str, Any], fmt: str) -> str:
    from tidtam.documents.render import render

    h = hashlib.sha256(render(sheet, "json"))
    h.update(f"\0{fmt}\0{tidtam.__version__}".encode())
    return h.hexdigest()


def manifest_path(out: Path) -> Path:
    return out.parent / HIDDEN / f"{out.name}.json"


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def already_made(out: Path, digest: str) -> bool:
    try:
        manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    return manifest.get("inputs") == digest and manifest.get("sha256") == _sha256(out)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.parent / HIDDEN / f".{path.name}.{os.getpid()}.part"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)


def write_document(out: Path, data: bytes, digest: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest = {"inputs": digest, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    _write_atomic(manifest_path(out), json.dumps(manifest).encode())
    _write_atomic(out, data)


def leftover_parts(folder: Path) -> list[Path]:
    return sorted((folder / HIDDEN).glob(".*.part"))


def clean_leftovers(folder: Path) -> int:
    """Temporary files of attempts that died; call only when no task of the folder runs."""
    gone = 0
    for p in leftover_parts(folder):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            gone += 1
    return gone


@background("สร้างเอกสารผลการประเมินของเขตพื้นที่", queue_name="documents")
def make_sheet(org: str, year: int, fmt: str, output: str, batch: str = "") -> dict[str, Any]:
    """One office's result sheet into ``output``; skipped when made from the same inputs."""
    from tidtam.documents.esa_sheet import build_sheet
    from tidtam.documents.render import render
    from tidtam.orgs.models import OrgUnit

    unit = OrgUnit.objects.get(code=org)
    sheet = build_sheet(unit, year)
    digest = inputs_digest(sheet, fmt)
    out = Path(output)
    if already_made(out, digest):
        return {"org": org, "made": False, "file": str(out),
                "summary": f"{unit.display_name}: มีเอกสารจากข้อมูลเดียวกันอยู่แล้ว"}
    data = render(sheet, fmt)
    write_document(out, data, digest)
    return {"org": org, "made": True, "file": str(out), "bytes": len(data),
            "summary": f"{unit.display_name}: สร้าง {out.name} แล้ว"}
