"""A batch document task: skipped when made from the same inputs, remade when they change."""

from __future__ import annotations

from pathlib import Path

from tidtam.documents.tasks import (
    already_made,
    clean_leftovers,
    leftover_parts,
    make_sheet,
    manifest_path,
)
from tidtam.evaluation.models import Rating


def _make(out: Path) -> dict[str, object]:
    return make_sheet.call(org="SPM-52-51", year=2566, fmt="json", output=str(out))


def test_same_inputs_skip_changed_inputs_remake(db: None, tmp_path: Path) -> None:
    out = tmp_path / "sheet.json"
    first = _make(out)
    assert first["made"] is True and out.exists() and manifest_path(out).exists()
    inode = out.stat().st_ino
    again = _make(out)
    assert again["made"] is False and out.stat().st_ino == inode
    # A rating changed: the sheet's inputs changed, so it is made again.
    r = Rating.objects.filter(org__code="SPM-52-51", level__isnull=False).first()
    assert r is not None
    Rating.objects.filter(pk=r.pk).update(level=1 if r.level != 1 else 2)
    assert _make(out)["made"] is True and out.stat().st_ino != inode


def test_a_document_that_does_not_match_its_manifest_is_made_again(db: None,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "sheet.json"
    _make(out)
    digest = __import__("json").loads(manifest_path(out).read_text())["inputs"]
    assert already_made(out, digest)
    out.write_bytes(out.read_bytes()[:100])  # cut short, e.g. copied by hand and interrupted
    assert not already_made(out, digest)
    assert _make(out)["made"] is True and already_made(out, digest)
    out.unlink()
    assert not already_made(out, digest)


def test_temporary_files_of_dead_attempts_are_cleaned(db: None, tmp_path: Path) -> None:
    out = tmp_path / "sheet.json"
    _make(out)
    stale = out.parent / ".tidtam" / ".sheet.json.4242.part"
    stale.write_bytes(b"half")
    assert leftover_parts(tmp_path) == [stale]
    assert clean_leftovers(tmp_path) == 1 and not stale.exists() and out.exists()
