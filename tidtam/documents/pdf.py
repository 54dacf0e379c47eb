"""HTML → PDF rendering whose Thai text extracts back exactly.

Why this module exists
----------------------
HarfBuzz's Thai shaper always decomposes SARA AM (U+0E33 "ำ") into NIKHAHIT
(U+0E4D) + SARA AA (U+0E32) glyphs, moving the nikhahit in front of any tone
mark and merging the clusters. WeasyPrint writes each font's ToUnicode CMap
from the cluster text of the *first* occurrence of every glyph, so with stock
Sarabun:

* the sara-aa glyph ends up mapped to "ำ" and every "า" extracts as "ำ"
  ("สำนักงาน" → "สำนักงำน");
* a tone-mark glyph first seen inside a merged cluster ("น้ำ") maps to "" and
  that tone mark disappears from the whole document.

A glyph can only have one ToUnicode value, so the fix has two halves:

1. Patched fonts (:func:`patched_font_path`). A copy of Sarabun gets ".am"
   twins of the sara-aa glyph and of every nikhahit glyph (plain, narrow and
   the nikhahit+tone ligatures). A contextual GSUB lookup appended to ``ccmp``
   (so it runs after all of Sarabun's own Thai lookups) swaps a nikhahit
   followed by sara aa for the twins; a mark filtering set lets it look past
   tone marks in between. The twins inherit the outlines, advance widths, GDEF
   classes and every GPOS record of their originals, so the page looks exactly
   the same. The patched fonts are cached on disk, keyed by
   :data:`FONT_RECIPE_VERSION` and a hash of the source font.
2. A post-processing pass (:func:`fix_pdf_text`) over the PDF WeasyPrint wrote:
   each ToUnicode CMap of a patched font is rewritten from a glyph → text map
   computed from the font itself (reverse cmap plus closure over GSUB
   single/alternate/ligature substitutions, and "" / "ำ" for the nikhahit /
   sara-aa twins). Glyphs are in visual order in the content stream, so
   "น้ำ" (น, nikhahit+tone twin → "้", sara-aa twin → "ำ") extracts exactly.
   The same pass splits the x-offset that WeasyPrint emits to move the pen
   back after a left-shifted zero-width mark into pieces that pypdf does not
   mistake for a word gap (rendering is unchanged: TJ adjustments add up).

Known limitation: a NIKHAHIT typed explicitly before a SARA AA ("ํา", a
misspelling of "ำ") renders the same but extracts as "ำ".
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import fontpkg_sarabun
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    StreamObject,
)

__all__ = [
    "FONT_RECIPE_VERSION",
    "fix_pdf_text",
    "font_cache_dir",
    "font_face_css",
    "html_to_pdf",
    "patched_font_path",
]

#: Bump whenever the patching recipe or the sidecar format changes: patched
#: fonts live in a directory named after it, so a new recipe rebuilds them.
FONT_RECIPE_VERSION = "thai-sara-am-1"

#: Marker put into the patched fonts' unique-ID name (name ID 3). It survives
#: WeasyPrint's subsetting and lets :func:`fix_pdf_text` recognise our fonts
#: (and find their glyph → text map) inside any PDF.
_MARKER = "tidtam-fontfix:"

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
_AM_SUFFIX = ".am"

#: Sarabun ships 8 weights, each upright and italic.
SARABUN_WEIGHTS: Mapping[int, str] = {
    100: "Thin",
    200: "ExtraLight",
    300: "Light",
    400: "Regular",
    500: "Medium",
    600: "SemiBold",
    700: "Bold",
    800: "ExtraBold",
}

_SARABUN_DIR = Path(fontpkg_sarabun.__file__).resolve().parent / "files"


def _sarabun_stem(weight: int, italic: bool) -> str:
    name = SARABUN_WEIGHTS[weight]
    if italic:
        name = "Italic" if name == "Regular" else f"{name}Italic"
    return f"Sarabun-{name}"


def font_cache_dir() -> Path:
    """Directory holding the patched fonts of the current recipe.

    ``$TIDTAM_FONT_CACHE`` if set, else ``~/.cache/tidtam/fonts``; one
    subdirectory per :data:`FONT_RECIPE_VERSION`.
    """
    root = os.environ.get("TIDTAM_FONT_CACHE") or Path.home() / ".cache" / "tidtam" / "fonts"
    return Path(root) / FONT_RECIPE_VERSION


# --------------------------------------------------------------------------
# Glyph → text map
# --------------------------------------------------------------------------


def _gsub_subtables(font: TTFont) -> Iterator[tuple[int, Any]]:
    """Yield ``(lookup type, subtable)`` for every GSUB subtable, unwrapping extensions."""
    if "GSUB" not in font:
        return
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:
                yield subtable.ExtensionLookupType, subtable.ExtSubTable
            else:
                yield lookup.LookupType, subtable


def glyph_texts(font: TTFont) -> dict[str, list[str]]:
    """Map glyph names to the texts each glyph can stand for, best first.

    Glyphs in the cmap stand for their code points (lowest first). Glyphs only
    reachable through GSUB single, alternate or ligature substitutions (small
    or narrow tone marks, ญ/ฐ without descender, "fi", ...) inherit the text
    of their input glyph(s); when such a glyph is also in the cmap, the
    inherited text is kept as an alternative so the cluster text WeasyPrint
    saw can be honoured (e.g. "i" → dotless i).
    """
    texts: dict[str, list[str]] = {}
    for codepoint, glyph in sorted(font.getBestCmap().items()):
        texts.setdefault(glyph, []).append(chr(codepoint))

    def add(glyph: str, text: str) -> bool:
        candidates = texts.setdefault(glyph, [])
        if text in candidates:
            return False
        candidates.append(text)
        return True

    # Substitutions can chain (narrow variant of a ligature...), so iterate to
    # a fixed point; only each input's best text is propagated, which keeps
    # this finite.
    changed = True
    while changed:
        changed = False
        for lookup_type, subtable in _gsub_subtables(font):
            if lookup_type == 1:
                for source, target in subtable.mapping.items():
                    if source in texts:
                        changed |= add(target, texts[source][0])
            elif lookup_type == 3:
                for source, alternates in subtable.alternates.items():
                    if source in texts:
                        for target in alternates:
                            changed |= add(target, texts[source][0])
            elif lookup_type == 4:
                for first, ligatures in subtable.ligatures.items():
                    for ligature in ligatures:
                        components = [first, *ligature.Component]
                        if all(component in texts for component in components):
                            text = "".join(texts[component][0] for component in components)
                            changed |= add(ligature.LigGlyph, text)
    return texts


# --------------------------------------------------------------------------
# Font patching
# --------------------------------------------------------------------------


def _sorted_by_gid(
    font: TTFont, glyphs: Sequence[str], *parallel: Sequence[Any]
) -> tuple[list[Any], ...]:
    order = sorted(range(len(glyphs)), key=lambda index: font.getGlyphID(glyphs[index]))
    return tuple([column[index] for index in order] for column in (glyphs, *parallel))


def _new_coverage(glyphs: list[str]) -> otTables.Coverage:
    coverage = otTables.Coverage()
    coverage.glyphs = glyphs
    return coverage


def _clone_coverage(
    font: TTFont, coverage: Any, twins: Mapping[str, str], *parallel: list[Any]
) -> tuple[Any, ...]:
    """Add the twins to a coverage (and deep copies of their records to the
    parallel record lists); return fresh, gid-sorted objects.

    Fresh objects because fontTools may share one decompiled table between
    subtables, and a coverage must stay in step with its own record arrays.
    """
    if coverage is None:
        return (coverage, *parallel)
    glyphs = list(coverage.glyphs)
    columns = [list(column) for column in parallel]
    for index, glyph in enumerate(coverage.glyphs):
        if glyph in twins and twins[glyph] not in coverage.glyphs:
            glyphs.append(twins[glyph])
            for column, original in zip(columns, parallel, strict=True):
                column.append(copy.deepcopy(original[index]))
    if len(glyphs) == len(coverage.glyphs):
        return (coverage, *parallel)
    glyphs, *columns = _sorted_by_gid(font, glyphs, *columns)
    return (_new_coverage(glyphs), *columns)


def _clone_class_def(class_def: Any, twins: Mapping[str, str]) -> Any:
    if class_def is None:
        return None
    classes = dict(class_def.classDefs)
    for glyph, twin in twins.items():
        if glyph in classes:
            classes[twin] = classes[glyph]
    fresh = otTables.ClassDef()
    fresh.classDefs = classes
    return fresh


def _clone_gpos_subtable(font: TTFont, lookup_type: int, st: Any, twins: Mapping[str, str]) -> None:
    """Give each twin the same positioning records as its original glyph."""
    if lookup_type == 1:  # single adjustment
        if st.Format == 1:
            (st.Coverage,) = _clone_coverage(font, st.Coverage, twins)
        else:
            st.Coverage, st.Value = _clone_coverage(font, st.Coverage, twins, st.Value)
            st.ValueCount = len(st.Value)
    elif lookup_type == 2:  # pair adjustment (kerning)
        if st.Format == 1:
            for pair_set in st.PairSet:
                records = list(pair_set.PairValueRecord)
                for record in pair_set.PairValueRecord:
                    if record.SecondGlyph in twins:
                        twin_record = copy.deepcopy(record)
                        twin_record.SecondGlyph = twins[record.SecondGlyph]
                        records.append(twin_record)
                records.sort(key=lambda record: font.getGlyphID(record.SecondGlyph))
                pair_set.PairValueRecord = records
                pair_set.PairValueCount = len(records)
            st.Coverage, st.PairSet = _clone_coverage(font, st.Coverage, twins, st.PairSet)
            st.PairSetCount = len(st.PairSet)
        else:
            (st.Coverage,) = _clone_coverage(font, st.Coverage, twins)
            st.ClassDef1 = _clone_class_def(st.ClassDef1, twins)
            st.ClassDef2 = _clone_class_def(st.ClassDef2, twins)
    elif lookup_type == 3:  # cursive attachment
        st.Coverage, st.EntryExitRecord = _clone_coverage(
            font, st.Coverage, twins, st.EntryExitRecord
        )
        st.EntryExitCount = len(st.EntryExitRecord)
    elif lookup_type in (4, 5, 6):  # mark-to-base, mark-to-ligature, mark-to-mark
        if lookup_type == 6:
            mark_coverage, mark_array = "Mark1Coverage", "Mark1Array"
            base_coverage, base_array, base_records = "Mark2Coverage", "Mark2Array", "Mark2Record"
        elif lookup_type == 5:
            mark_coverage, mark_array = "MarkCoverage", "MarkArray"
            base_coverage, base_array, base_records = (
                "LigatureCoverage",
                "LigatureArray",
                "LigatureAttach",
            )
        else:
            mark_coverage, mark_array = "MarkCoverage", "MarkArray"
            base_coverage, base_array, base_records = "BaseCoverage", "BaseArray", "BaseRecord"
        marks = getattr(st, mark_array)
        coverage, marks.MarkRecord = _clone_coverage(
            font, getattr(st, mark_coverage), twins, marks.MarkRecord
        )
        setattr(st, mark_coverage, coverage)
        marks.MarkCount = len(marks.MarkRecord)
        bases = getattr(st, base_array)
        coverage, records = _clone_coverage(
            font, getattr(st, base_coverage), twins, getattr(bases, base_records)
        )
        setattr(st, base_coverage, coverage)
        setattr(bases, base_records, records)
        setattr(bases, base_records.replace("Record", "") + "Count", len(records))
        if lookup_type == 5:
            bases.LigatureCount = len(records)
    elif lookup_type in (7, 8):  # contextual positioning
        if st.Format == 3:
            for name in ("Coverage", "InputCoverage", "BacktrackCoverage", "LookAheadCoverage"):
                if hasattr(st, name):
                    setattr(
                        st,
                        name,
                        [_clone_coverage(font, c, twins)[0] for c in getattr(st, name)],
                    )
        elif st.Format == 2:
            (st.Coverage,) = _clone_coverage(font, st.Coverage, twins)
            for name in ("ClassDef", "InputClassDef", "BacktrackClassDef", "LookAheadClassDef"):
                if hasattr(st, name):
                    setattr(st, name, _clone_class_def(getattr(st, name), twins))
        elif any(glyph in twins for glyph in st.Coverage.glyphs):
            # Glyph-sequence rules would need every rule duplicated; Sarabun has none.
            raise NotImplementedError("GPOS context format 1 on a cloned glyph")
    else:
        raise NotImplementedError(f"GPOS lookup type {lookup_type}")


def _single_subst_lookup(mapping: Mapping[str, str]) -> otTables.Lookup:
    subtable = otTables.SingleSubst()
    subtable.mapping = dict(mapping)
    lookup = otTables.Lookup()
    lookup.LookupType = 1
    lookup.LookupFlag = 0
    lookup.SubTable = [subtable]
    lookup.SubTableCount = 1
    return lookup


def _subst_record(sequence_index: int, lookup_index: int) -> otTables.SubstLookupRecord:
    record = otTables.SubstLookupRecord()
    record.SequenceIndex = sequence_index
    record.LookupListIndex = lookup_index
    return record


def _sara_am_lookup(
    font: TTFont, nikhahits: list[str], aas: list[str], single_index: int, mark_set: int
) -> otTables.Lookup:
    """Chain rule ``nikhahit (tone marks skipped) sara-aa`` → both twins."""
    rule = otTables.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackCoverage = []
    rule.BacktrackGlyphCount = 0
    rule.InputCoverage = [
        _new_coverage(sorted(nikhahits, key=font.getGlyphID)),
        _new_coverage(sorted(aas, key=font.getGlyphID)),
    ]
    rule.InputGlyphCount = 2
    rule.LookAheadCoverage = []
    rule.LookAheadGlyphCount = 0
    rule.SubstLookupRecord = [_subst_record(0, single_index), _subst_record(1, single_index)]
    rule.SubstCount = 2
    lookup = otTables.Lookup()
    lookup.LookupType = 6
    # UseMarkFilteringSet: only marks in the set (the nikhahits) are seen, so
    # tone marks between nikhahit and sara aa do not break the match.
    lookup.LookupFlag = 0x0010
    lookup.MarkFilteringSet = mark_set
    lookup.SubTable = [rule]
    lookup.SubTableCount = 1
    return lookup


def _add_mark_glyph_set(gdef: Any, glyphs: list[str], font: TTFont) -> int:
    if gdef.Version < 0x00010002 or getattr(gdef, "MarkGlyphSetsDef", None) is None:
        gdef.Version = max(gdef.Version, 0x00010002)
        sets = otTables.MarkGlyphSetsDef()
        sets.MarkSetTableFormat = 1
        sets.Coverage = []
        gdef.MarkGlyphSetsDef = sets
    sets = gdef.MarkGlyphSetsDef
    sets.Coverage.append(_new_coverage(sorted(glyphs, key=font.getGlyphID)))
    sets.MarkSetCount = len(sets.Coverage)
    return len(sets.Coverage) - 1


def _is_thai(text: str) -> bool:
    return bool(text) and all("\u0e00" <= char <= "\u0e7f" for char in text)


def _gpos_subtables(font: TTFont) -> Iterator[tuple[int, Any]]:
    """Yield ``(lookup type, subtable)`` for every GPOS subtable, unwrapping extensions."""
    if "GPOS" not in font:
        return
    for lookup in font["GPOS"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == 9:
                yield subtable.ExtensionLookupType, subtable.ExtSubTable
            else:
                yield lookup.LookupType, subtable


def _mark_shifts(font: TTFont, texts: Mapping[str, list[str]]) -> dict[str, int]:
    """How far right to move each Thai mark's origin-relative drawing.

    In some styles (bold, italic...) GPOS puts a mark's origin *right* of the
    pen, i.e. past the origin of the next base glyph. Poppler's ``-layout``
    mode puts the second of two stacked marks ("ี่", "ู้") in a word of its
    own and orders words by x, so that tone mark came out after the next
    letter ("ดีเยี่ยม" → "ดีเยีย ่ ม") – even with stock Sarabun. Moving a
    mark's outline *and* all its anchors right by the largest positive offset
    it can get from a Thai base makes GPOS return an offset that much more
    negative, so the mark is drawn at exactly the same place but its origin
    never passes the pen. Returns glyph → shift in font units (only > 0).
    """
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    hmtx = font["hmtx"]
    marks = {
        glyph
        for glyph, kind in classes.items()
        if kind == 3 and glyph in texts and _is_thai(texts[glyph][0]) and hmtx[glyph][0] == 0
    }
    bases = {
        glyph
        for glyph, kind in classes.items()
        if kind == 1 and glyph in texts and _is_thai(texts[glyph][0])
    }
    worst: dict[str, float] = {}
    stacked: list[tuple[str, str, int]] = []  # (mark, mark it sits on, anchor delta)
    for lookup_type, st in _gpos_subtables(font):
        if lookup_type == 4:
            for mark, record in zip(st.MarkCoverage.glyphs, st.MarkArray.MarkRecord, strict=True):
                if mark not in marks:
                    continue
                for base, base_record in zip(
                    st.BaseCoverage.glyphs, st.BaseArray.BaseRecord, strict=True
                ):
                    anchor = base_record.BaseAnchor[record.Class]
                    if base in bases and anchor is not None:
                        offset = anchor.XCoordinate - hmtx[base][0] - record.MarkAnchor.XCoordinate
                        worst[mark] = max(worst.get(mark, offset), offset)
        elif lookup_type == 6:
            for mark, record in zip(st.Mark1Coverage.glyphs, st.Mark1Array.MarkRecord, strict=True):
                for under, under_record in zip(
                    st.Mark2Coverage.glyphs, st.Mark2Array.Mark2Record, strict=True
                ):
                    anchor = under_record.Mark2Anchor[record.Class]
                    if mark in marks and under in marks and anchor is not None:
                        delta = anchor.XCoordinate - record.MarkAnchor.XCoordinate
                        stacked.append((mark, under, delta))
    # A mark on a mark inherits the offset of the one below; stacks are shallow.
    for _ in range(4):
        for mark, under, delta in stacked:
            if under in worst:
                worst[mark] = max(worst.get(mark, worst[under] + delta), worst[under] + delta)
    return {mark: int(-(-offset // 1)) for mark, offset in worst.items() if offset > 0}


def _shift_anchor(anchor: Any, shift: int) -> Any:
    if anchor is None or not shift:
        return anchor
    anchor = copy.copy(anchor)  # anchors may be shared between records
    anchor.XCoordinate += shift
    return anchor


def _apply_mark_shifts(font: TTFont, shifts: Mapping[str, int]) -> None:
    """Move outlines and every anchor of the shifted glyphs (see :func:`_mark_shifts`)."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        own = shifts.get(name, 0)
        if glyph.isComposite():
            # Components were moved by their own shift already.
            changed = False
            for component in glyph.components:
                delta = own - shifts.get(component.glyphName, 0)
                if delta and hasattr(component, "x"):
                    component.x += delta
                    changed = True
        elif own and glyph.numberOfContours > 0:
            glyph.coordinates.translate((own, 0))
            changed = True
        else:
            changed = False
        if changed:
            glyph.recalcBounds(glyf)
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    for lookup_type, st in _gpos_subtables(font):
        if lookup_type in (4, 5):
            for mark, record in zip(st.MarkCoverage.glyphs, st.MarkArray.MarkRecord, strict=True):
                record.MarkAnchor = _shift_anchor(record.MarkAnchor, shifts.get(mark, 0))
        if lookup_type == 4:
            for base, record in zip(st.BaseCoverage.glyphs, st.BaseArray.BaseRecord, strict=True):
                shift = shifts.get(base, 0)
                record.BaseAnchor = [_shift_anchor(a, shift) for a in record.BaseAnchor]
        elif lookup_type == 5:
            for ligature, attach in zip(
                st.LigatureCoverage.glyphs, st.LigatureArray.LigatureAttach, strict=True
            ):
                shift = shifts.get(ligature, 0)
                for component in attach.ComponentRecord:
                    component.LigatureAnchor = [
                        _shift_anchor(a, shift) for a in component.LigatureAnchor
                    ]
        elif lookup_type == 6:
            for mark, record in zip(st.Mark1Coverage.glyphs, st.Mark1Array.MarkRecord, strict=True):
                record.MarkAnchor = _shift_anchor(record.MarkAnchor, shifts.get(mark, 0))
            for under, record in zip(
                st.Mark2Coverage.glyphs, st.Mark2Array.Mark2Record, strict=True
            ):
                shift = shifts.get(under, 0)
                record.Mark2Anchor = [_shift_anchor(a, shift) for a in record.Mark2Anchor]


def patch_font(font: TTFont, marker: str) -> dict[int, list[str]]:
    """Patch a Sarabun ``font`` in place; return its glyph id → texts map.

    See the module docstring for the recipe. ``marker`` is appended to the
    unique-ID name so the font can be recognised in a PDF.
    """
    gdef = font["GDEF"].table
    mark_class = 3
    texts = glyph_texts(font)
    classes = gdef.GlyphClassDef.classDefs
    nikhahits = [
        glyph
        for glyph, candidates in texts.items()
        if classes.get(glyph) == mark_class and any(NIKHAHIT in text for text in candidates)
    ]
    aas = [glyph for glyph, candidates in texts.items() if candidates[0] == SARA_AA]
    if not nikhahits or not aas:
        raise ValueError("font has no Thai nikhahit / sara aa glyphs")
    twins = {glyph: glyph + _AM_SUFFIX for glyph in sorted([*nikhahits, *aas], key=font.getGlyphID)}
    if any(twin in texts or twin in font.getGlyphOrder() for twin in twins.values()):
        raise ValueError("font already patched")

    # Before cloning, so the twins inherit the shifted outlines and anchors.
    _apply_mark_shifts(font, _mark_shifts(font, texts))

    # Glyph outlines and metrics: plain copies appended after the last glyph,
    # so every original glyph keeps its id.
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    for glyph, twin in twins.items():
        glyf.glyphs[twin] = copy.deepcopy(glyf[glyph])
        hmtx.metrics[twin] = hmtx.metrics[glyph]
        order.append(twin)
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)

    # GDEF classes.
    for class_def in (gdef.GlyphClassDef, getattr(gdef, "MarkAttachClassDef", None)):
        if class_def is not None:
            for glyph, twin in twins.items():
                if glyph in class_def.classDefs:
                    class_def.classDefs[twin] = class_def.classDefs[glyph]
    mark_sets = getattr(gdef, "MarkGlyphSetsDef", None)
    if mark_sets is not None:
        mark_sets.Coverage = [_clone_coverage(font, c, twins)[0] for c in mark_sets.Coverage]

    # GPOS: same anchors / kerning as the originals, so rendering is unchanged.
    if "GPOS" in font:
        for lookup in font["GPOS"].table.LookupList.Lookup:
            for subtable in lookup.SubTable:
                if lookup.LookupType == 9:
                    _clone_gpos_subtable(
                        font, subtable.ExtensionLookupType, subtable.ExtSubTable, twins
                    )
                else:
                    _clone_gpos_subtable(font, lookup.LookupType, subtable, twins)

    # GSUB: the twin swap goes last in the lookup list and is added to every
    # ccmp feature. HarfBuzz applies all of a stage's lookups in lookup-list
    # order and Thai has a single GSUB stage, so it runs after Sarabun's own
    # ccmp ligatures (nikhahit + tone) and narrow/small variants.
    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup
    mark_set = _add_mark_glyph_set(gdef, nikhahits, font)
    single_index = len(lookups)
    lookups.append(_single_subst_lookup(twins))
    lookups.append(_sara_am_lookup(font, nikhahits, aas, single_index, mark_set))
    gsub.LookupList.LookupCount = len(lookups)
    ccmp_features = [
        record.Feature for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == "ccmp"
    ]
    thai = [record for record in gsub.ScriptList.ScriptRecord if record.ScriptTag == "thai"]
    if not ccmp_features or not thai:
        raise ValueError("font has no Thai ccmp feature to extend")
    for feature in ccmp_features:
        feature.LookupListIndex.append(single_index + 1)
        feature.LookupCount = len(feature.LookupListIndex)

    # Mark the font so fix_pdf_text() can find it, and drop the now invalid signature.
    for record in font["name"].names:
        if record.nameID == 3:
            record.string = f"{record.toUnicode()};{marker}"
    if "DSIG" in font:
        del font["DSIG"]

    # Twins extract as the text they stand for inside SARA AM: the nikhahit
    # part vanishes ("" or just the tone of a nikhahit+tone ligature) and the
    # sara-aa twin carries the whole "ำ".
    for glyph, twin in twins.items():
        if glyph in aas:
            texts[twin] = [SARA_AM]
        else:
            texts[twin] = list(dict.fromkeys(t.replace(NIKHAHIT, "") for t in texts[glyph]))
    return {font.getGlyphID(glyph): candidates for glyph, candidates in texts.items()}


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file + rename so concurrent builders never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as f:
        f.write(data)
    os.chmod(f.name, 0o644)  # NamedTemporaryFile creates 0600; the cache may be shared
    os.replace(f.name, path)


def _sidecar_path(font_path: Path) -> Path:
    return font_path.with_suffix(".tounicode.json")


def patched_font_path(weight: int = 400, italic: bool = False) -> Path:
    """Path of the patched Sarabun for ``weight``/``italic``, building it if needed.

    The file name carries a hash of the source font, so a new fontpkg-sarabun
    release is patched afresh; a JSON sidecar next to it holds the glyph id →
    texts map used by :func:`fix_pdf_text`.
    """
    return _patched_font_path(weight, italic, str(font_cache_dir()))


@functools.cache
def _patched_font_path(weight: int, italic: bool, cache_dir: str) -> Path:
    stem = _sarabun_stem(weight, italic)
    source = _SARABUN_DIR / f"{stem}.ttf"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    key = f"{stem}-{digest}"
    target = Path(cache_dir) / f"{key}.ttf"
    if target.exists() and _sidecar_path(target).exists():
        return target
    font = TTFont(source)
    texts = patch_font(font, f"{_MARKER}{FONT_RECIPE_VERSION}/{key}")
    buffer = io.BytesIO()
    font.save(buffer)
    # Sidecar first: the font's existence is what signals "done".
    _atomic_write(_sidecar_path(target), json.dumps(texts, ensure_ascii=False).encode())
    _atomic_write(target, buffer.getvalue())
    return target


@functools.cache
def _texts_for_marker(marker: str) -> dict[int, list[str]] | None:
    """Glyph id → texts of the patched font whose name carries ``marker``."""
    version, _, key = marker.removeprefix(_MARKER).partition("/")
    if version != FONT_RECIPE_VERSION or not re.fullmatch(r"Sarabun-\w+-[0-9a-f]{12}", key):
        return None
    sidecar = _sidecar_path(font_cache_dir() / f"{key}.ttf")
    if not sidecar.exists():
        return None
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    return {int(gid): texts for gid, texts in data.items()}


def font_face_css(weights: Iterable[int] = (400, 700), family: str = "Sarabun") -> str:
    """``@font-face`` rules for the patched Sarabun, upright and italic.

    Defaults to regular and bold (plus their italics); pass more of
    :data:`SARABUN_WEIGHTS` if a template needs them. Each listed face costs
    WeasyPrint a font load per render, so only ask for what is used.
    """
    rules = []
    for weight in weights:
        for italic in (False, True):
            path = patched_font_path(weight, italic)
            rules.append(
                "@font-face {"
                f' font-family: "{family}";'
                f" font-weight: {weight};"
                f" font-style: {'italic' if italic else 'normal'};"
                f' src: url("{path.as_uri()}");'
                " }"
            )
    return "\n".join(rules) + "\n"


# --------------------------------------------------------------------------
# PDF post-processing
# --------------------------------------------------------------------------

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """Read the ``bfchar`` entries WeasyPrint writes (it never uses bfrange)."""
    mapping = {}
    for block in _BFCHAR_BLOCK.findall(data):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


def _build_to_unicode(mapping: Mapping[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo",
        b"<< /Registry (Adobe)",
        b"/Ordering (UCS)",
        b"/Supplement 0",
        b">> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):  # at most 100 entries per block
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for code, text in batch:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [
        b"endcmap",
        b"CMapName currentdict /CMap defineresource pop",
        b"end",
        b"end",
    ]
    return b"\n".join(lines)


def _embedded_font_marker(font: DictionaryObject) -> str | None:
    """The marker in the unique-ID name of a Type0 font's embedded TrueType, if any."""
    try:
        descendant = font["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        unique_id = TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(3) or ""
    except Exception:  # not an embedded TrueType CID font: not one of ours
        return None
    _, found, rest = unique_id.partition(_MARKER)
    return _MARKER + rest if found else None


def _fix_font(font: DictionaryObject) -> bool:
    """Rewrite the ToUnicode CMap of one of our patched fonts; return whether it changed."""
    if font.get("/Subtype") != "/Type0" or "/ToUnicode" not in font:
        return False
    marker = _embedded_font_marker(font)
    texts = _texts_for_marker(marker) if marker else None
    if texts is None:
        return False
    stream = font["/ToUnicode"].get_object()
    old = _parse_to_unicode(stream.get_data())
    new = {}
    for gid, seen in old.items():
        candidates = texts.get(gid)
        # Keep WeasyPrint's cluster text when it is one of the glyph's own
        # texts (space vs. no-break space, "i" vs. dotless i...), otherwise
        # it is an artefact of cluster merging: use the font's answer.
        new[gid] = seen if not candidates or seen in candidates else candidates[0]
    if new == old:
        return False
    stream.set_data(_build_to_unicode(new))
    return True


def _cid_widths(font: DictionaryObject) -> dict[int, float] | None:
    """Glyph widths (thousandths of an em) of a 2-byte CID font, from /W and /DW."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descendant = font["/DescendantFonts"][0].get_object()
    widths: dict[int, float] = {-1: float(descendant.get("/DW", 1000))}  # -1: default
    items = [item.get_object() for item in descendant.get("/W", [])]
    index = 0
    while index + 1 < len(items):
        first, second = int(items[index]), items[index + 1]
        if isinstance(second, list):  # c [w1 w2 ...]
            widths.update((first + offset, float(w)) for offset, w in enumerate(second))
            index += 2
        elif index + 2 < len(items):  # c_first c_last w
            widths.update(dict.fromkeys(range(first, int(second) + 1), float(items[index + 2])))
            index += 3
        else:
            break
    return widths


_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
# Only what WeasyPrint writes for text: "/F 12 Tf", positioning operators and
# "[<hex> number <hex> ...] TJ" arrays. Anything else is left byte-for-byte.
_CONTENT_TOKENS = re.compile(
    rb"\[(?P<tj>(?:<[0-9a-fA-F]*>|" + _NUMBER + rb"|\s)*)\]\s*TJ"
    rb"|/(?P<font>[^\s/\[\]<>()%]+)\s+" + _NUMBER + rb"\s+Tf"
    rb"|(?<![^\s\]>)])(?P<reset>BT|ET|Tm|Td|TD|T\*)(?![^\s\[</(%])"
)
_TJ_ITEMS = re.compile(rb"<(?P<hex>[0-9a-fA-F]*)>|(?P<number>" + _NUMBER + rb")")


class _PenTracker:
    """Finds the pen-returns after left-shifted marks in TJ arrays.

    WeasyPrint draws a mark pulled left by GPOS (a tone mark over ป, ฝ, ฟ or
    over a raised upper vowel) as ``+n <mark> -n``: move left, draw the
    zero-width mark, move back. pypdf's plain ``extract_text()`` reads any
    single TJ adjustment wider than about half a space as a word gap, so
    "ปี่ ป้า" came out as "ปี่  ป้า" and "ฝั่ง" as "ฝั่ ง". The part of a
    rightward move that only returns over ground already covered since the
    last BT/Tm/Td/Tf is split into small steps; the part beyond (a real gap)
    stays one number so it still reads as a space. Renderers only use the sum,
    so the page is unchanged.
    """

    #: Largest piece, in thousandths of an em; pypdf's threshold is ~0.47 of
    #: the space width (Sarabun's space is 220), so 40 is far below it.
    step = 40.0

    def __init__(self, widths: Mapping[str, dict[int, float] | None]) -> None:
        self.fonts = widths
        self.widths: dict[int, float] | None = None
        self.reset()

    def reset(self) -> None:
        self.pen = self.furthest = 0.0

    def glyphs(self, hex_codes: bytes) -> None:
        if self.widths is None:
            return
        default = self.widths[-1]
        for index in range(0, len(hex_codes) - 3, 4):
            self.pen += self.widths.get(int(hex_codes[index : index + 4], 16), default)
            self.furthest = max(self.furthest, self.pen)

    def adjust(self, raw: bytes) -> bytes:
        if self.widths is None:  # unknown glyph widths: leave the number alone
            return raw
        value = float(raw)
        old_pen = self.pen
        self.pen -= value  # a TJ number moves the pen *left* by value/1000 em
        if value <= 0:
            returning = max(0.0, min(self.pen, self.furthest) - old_pen)
            self.furthest = max(self.furthest, self.pen)
            if returning > self.step:
                pieces = []
                remaining = returning
                while remaining > self.step:
                    pieces.append(-self.step)
                    remaining -= self.step
                pieces.append(-remaining)
                gap = (self.pen - old_pen) - returning
                if gap > 0:
                    pieces.append(-gap)
                return b" ".join(_format_number(piece) for piece in pieces)
        return raw

    def rewrite(self, content: bytes) -> bytes:
        def replace(match: re.Match[bytes]) -> bytes:
            if match["font"] is not None:
                self.widths = self.fonts.get("/" + match["font"].decode("latin-1"))
                self.reset()
                return match[0]
            if match["reset"] is not None:
                self.reset()
                return match[0]
            items = []
            for item in _TJ_ITEMS.finditer(match["tj"]):
                if item["hex"] is not None:
                    self.glyphs(item["hex"])
                    items.append(item[0])
                else:
                    items.append(self.adjust(item[0]))
            # A separator only between two numbers, as WeasyPrint does.
            out = b""
            for item in items:
                if out and not out.endswith(b">") and not item.startswith(b"<"):
                    out += b" "
                out += item
            return b"[" + out + b"] TJ"

        return _CONTENT_TOKENS.sub(replace, content)


def _format_number(value: float) -> bytes:
    """PDF real without exponent (Python's repr may use one)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


def _resources_streams(
    resources: DictionaryObject | None, seen: set[int]
) -> Iterator[tuple[StreamObject, DictionaryObject]]:
    """Form XObjects reachable from ``resources``, with their own resources."""
    if not resources:
        return
    for xobject in resources.get_object().get("/XObject", DictionaryObject()).get_object().values():
        reference = getattr(xobject, "idnum", None)
        form = xobject.get_object()
        if form.get("/Subtype") != "/Form" or (reference is not None and reference in seen):
            continue
        if reference is not None:
            seen.add(reference)
        form_resources = form.get("/Resources", resources)
        yield form, form_resources.get_object()
        yield from _resources_streams(form_resources, seen)


def fix_pdf_text(pdf: bytes) -> bytes:
    """Make the text of a WeasyPrint PDF using the patched fonts extract exactly.

    Rewrites the ToUnicode CMap of every patched Sarabun font (see the module
    docstring) and splits mark pen-returns for pypdf (see
    :class:`_PenTracker`). Fonts that are not ours are left alone; returns
    the input unchanged when nothing needs fixing.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    changed = False
    fixed_fonts: set[int] = set()
    seen_forms: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources else DictionaryObject()
        streams: list[tuple[Any, DictionaryObject]] = [(page, resources)]
        streams += _resources_streams(resources, seen_forms)
        for holder, holder_resources in streams:
            fonts = holder_resources.get("/Font", DictionaryObject()).get_object()
            widths: dict[str, dict[int, float] | None] = {}
            for name, reference in fonts.items():
                font = reference.get_object()
                key = getattr(reference, "idnum", id(font))
                if key not in fixed_fonts:
                    fixed_fonts.add(key)
                    changed |= _fix_font(font)
                widths[name] = _cid_widths(font)
            contents = holder.get("/Contents") if holder is page else holder
            if contents is None:
                continue
            contents = contents.get_object()
            for stream in contents if isinstance(contents, ArrayObject) else [contents]:
                stream = stream.get_object()
                data = stream.get_data()
                new_data = _PenTracker(widths).rewrite(data)
                if new_data != data:
                    stream.set_data(new_data)
                    changed = True
    if not changed:
        return pdf
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def html_to_pdf(html: str, base_url: str | None = None, *, include_fonts: bool = True) -> bytes:
    """Render ``html`` with WeasyPrint into a PDF whose text extracts exactly.

    With ``include_fonts`` (default) the patched Sarabun faces of
    :func:`font_face_css` are added as an extra stylesheet, so templates
    only need ``font-family: Sarabun``.
    """
    # Imported here: WeasyPrint pulls in Pango/HarfBuzz, which callers that
    # only need font_face_css() should not pay for.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = [CSS(string=font_face_css(), font_config=font_config)] if include_fonts else []
    document = HTML(string=html, base_url=base_url)
    pdf = document.write_pdf(stylesheets=stylesheets, font_config=font_config)
    return fix_pdf_text(pdf)
