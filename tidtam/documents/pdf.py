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
   classes and every GPOS record of their originals, so the page renders
   pixel for pixel the same. The patched fonts are cached on disk, keyed by
   :data:`FONT_RECIPE_VERSION` and a hash of the source font.
2. A post-processing pass (:func:`fix_pdf_text`) over the PDF WeasyPrint wrote:

   * each ToUnicode CMap of a patched font is rewritten from a glyph → text
     map computed from the font itself (reverse cmap plus closure over GSUB
     single/alternate/ligature substitutions, and "" / "ำ" for the nikhahit /
     sara-aa twins). Glyphs are in visual order in the content stream, so
     "น้ำ" (น, nikhahit+tone twin → "้", sara-aa twin → "ำ") reads exactly
     for extractors that follow content order, such as pypdf;
   * Thai words containing marks are wrapped in ``/ActualText`` spans,
     because Poppler orders glyphs by x position and scrambles zero-width
     marks ("ห่อ" → "หอ่") even with stock fonts;
   * the pen-return after a mark shifted left is split into steps pypdf does
     not mistake for a word gap.

   Only text operators are touched; the drawing is unchanged.

Usage::

    from tidtam.documents.pdf import html_to_pdf

    pdf_bytes = html_to_pdf(html, base_url=...)  # CSS: font-family: "Tidtam Sarabun"

or, rendering yourself, put :func:`font_face_css` in the stylesheet and pass
WeasyPrint's output through :func:`fix_pdf_text`.

The patched faces carry a family name of their own (:data:`PDF_FAMILY`), in
the font files and in the ``@font-face`` rules: a machine with the stock
Sarabun installed (every Thai government PC) has a second "Sarabun", and
Fontconfig then chose the system face, whose text loses every ำ. Templates
must name :data:`PDF_FAMILY`; a PDF whose Thai is drawn in any other font is
logged as a warning by :func:`fix_pdf_text`.

Built and tested against WeasyPrint 70 (pydyf 0.13), pypdf 7 and Poppler
22.12. Known limitation: a NIKHAHIT typed explicitly before a SARA AA ("ํา",
a misspelling of "ำ") renders the same but extracts as "ำ".
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
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
    "PDF_FAMILY",
    "fix_pdf_text",
    "font_cache_dir",
    "font_face_css",
    "html_to_pdf",
    "patched_font_path",
]

#: Bump whenever the patching recipe or the sidecar format changes: patched
#: fonts live in a directory named after it, so a new recipe rebuilds them.
FONT_RECIPE_VERSION = "thai-sara-am-2"

#: Family name of the patched faces. Not "Sarabun": that name also belongs
#: to the stock faces a machine may have installed, and Fontconfig may prefer
#: those (see the module docstring).
PDF_FAMILY = "Tidtam Sarabun"

#: Marker put into the patched fonts' unique-ID name (name ID 3). It survives
#: WeasyPrint's subsetting and lets :func:`fix_pdf_text` recognise our fonts
#: (and find their glyph → text map) inside any PDF.
_MARKER = "tidtam-fontfix:"
_THAI = re.compile("[\u0e01-\u0e5b]")

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
_LOGGER = logging.getLogger(__name__)


def _sarabun_stem(weight: int, italic: bool) -> str:
    if weight not in SARABUN_WEIGHTS:
        raise ValueError(f"Sarabun has no weight {weight}; use one of {sorted(SARABUN_WEIGHTS)}")
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


def _rename_family(font: TTFont, family: str) -> None:
    """Give the font the family ``family`` in every name record that names it."""
    old = font["name"].getDebugName(16) or font["name"].getDebugName(1) or ""
    postscript = family.replace(" ", "")
    for record in font["name"].names:
        text = record.toUnicode()
        if record.nameID in (1, 4, 16, 18, 21) and text.startswith(old):
            record.string = family + text[len(old):]
        elif record.nameID in (6, 20) and text.startswith(old):
            record.string = postscript + text[len(old):]


def patch_font(font: TTFont, marker: str, family: str = PDF_FAMILY) -> dict[int, list[str]]:
    """Patch a Sarabun ``font`` in place; return its glyph id → texts map.

    See the module docstring for the recipe. ``marker`` is appended to the
    unique-ID name so the font can be recognised in a PDF; the font is
    renamed to ``family``.
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
    gsub = font["GSUB"].table
    ccmp_features = [
        record.Feature for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == "ccmp"
    ]
    if not ccmp_features or not any(r.ScriptTag == "thai" for r in gsub.ScriptList.ScriptRecord):
        raise ValueError("font has no Thai ccmp feature to extend")

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
    lookups = gsub.LookupList.Lookup
    mark_set = _add_mark_glyph_set(gdef, nikhahits, font)
    single_index = len(lookups)
    lookups.append(_single_subst_lookup(twins))
    lookups.append(_sara_am_lookup(font, nikhahits, aas, single_index, mark_set))
    gsub.LookupList.LookupCount = len(lookups)
    for feature in ccmp_features:
        feature.LookupListIndex.append(single_index + 1)
        feature.LookupCount = len(feature.LookupListIndex)

    # Mark the font so fix_pdf_text() can find it, and drop the now invalid signature.
    _rename_family(font, family)
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
    texts map used by :func:`fix_pdf_text`. Safe to call concurrently: files
    are written to a temporary name and renamed into place.
    """
    stem = _sarabun_stem(weight, italic)
    key = f"{stem}-{_source_digest(_SARABUN_DIR / f'{stem}.ttf')}"
    target = font_cache_dir() / f"{key}.ttf"
    if not (target.exists() and _sidecar_path(target).exists()):
        font = TTFont(_SARABUN_DIR / f"{stem}.ttf")
        texts = patch_font(font, f"{_MARKER}{FONT_RECIPE_VERSION}/{key}")
        buffer = io.BytesIO()
        font.save(buffer)
        # Sidecar first: the font file is what signals "done".
        _atomic_write(_sidecar_path(target), json.dumps(texts, ensure_ascii=False).encode())
        _atomic_write(target, buffer.getvalue())
    return target


@functools.cache
def _source_digest(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()[:12]


def _texts_for_marker(marker: str) -> dict[int, list[str]] | None:
    """Glyph id → texts of the patched font whose unique-ID name carries ``marker``."""
    version, _, key = marker.removeprefix(_MARKER).partition("/")
    # The marker comes from a PDF, so it must not be able to point anywhere else.
    if not re.fullmatch(r"[\w.-]+", version) or not re.fullmatch(r"Sarabun-\w+-[0-9a-f]{12}", key):
        return None
    sidecar = _sidecar_path(font_cache_dir().parent / version / f"{key}.ttf")
    if not sidecar.exists() and version == FONT_RECIPE_VERSION:
        # Cache wiped since the PDF was made: rebuild if it is today's font.
        for weight in SARABUN_WEIGHTS:
            for italic in (False, True):
                stem = _sarabun_stem(weight, italic)
                if key == f"{stem}-{_source_digest(_SARABUN_DIR / f'{stem}.ttf')}":
                    patched_font_path(weight, italic)
    try:
        return _load_sidecar(sidecar, sidecar.stat().st_mtime_ns)
    except OSError:
        return None


@functools.lru_cache(maxsize=64)
def _load_sidecar(path: Path, mtime_ns: int) -> dict[int, list[str]]:
    # mtime_ns is only part of the cache key: a rebuilt sidecar is read again.
    data = json.loads(path.read_text(encoding="utf-8"))
    return {int(gid): texts for gid, texts in data.items()}


def font_face_css(weights: Iterable[int] = (400, 700), family: str = PDF_FAMILY) -> str:
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

_BFCHAR_BLOCK = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE_BLOCK = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])")


def _utf16(hex_digits: bytes) -> str:
    return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", errors="replace")


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """Read a ToUnicode CMap: WeasyPrint writes ``bfchar`` only, ranges just in case."""
    mapping = {}
    for block in _BFCHAR_BLOCK.findall(data):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = _utf16(text)
    for block in _BFRANGE_BLOCK.findall(data):
        for low, high, target in _BFRANGE.findall(block):
            codes = range(int(low, 16), int(high, 16) + 1)
            if target.startswith(b"["):
                texts = [_utf16(t) for t in re.findall(rb"<([0-9a-fA-F]*)>", target)]
                mapping.update(zip(codes, texts, strict=False))
            elif target != b"<>":
                first = _utf16(target[1:-1])
                for offset, code in enumerate(codes):
                    mapping[code] = first[:-1] + chr(ord(first[-1]) + offset)
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


def _deref(value: Any) -> Any:
    """Resolve an indirect reference (pypdf's annotations say PdfObject for everything)."""
    return value.get_object() if hasattr(value, "get_object") else value


def _embedded_font_marker(font: DictionaryObject) -> str | None:
    """The marker in the unique-ID name of a Type0 font's embedded TrueType, if any."""
    try:
        descendant = _deref(_deref(font["/DescendantFonts"])[0])
        data = _deref(_deref(descendant["/FontDescriptor"])["/FontFile2"]).get_data()
        unique_id = TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(3) or ""
    except Exception:  # not an embedded TrueType CID font: not one of ours
        return None
    _, found, rest = unique_id.partition(_MARKER)
    return _MARKER + rest if found else None


@dataclass
class _PdfFont:
    """What the content pass needs to know about one font resource."""

    #: Code → text from the (fixed) ToUnicode CMap; None when codes are not
    #: WeasyPrint's 2-byte glyph ids.
    texts: dict[int, str] | None
    #: Code → advance in thousandths of an em (-1: default); None as above.
    widths: dict[int, float] | None
    #: One of our patched fonts.
    ours: bool
    #: Its ToUnicode CMap was rewritten.
    rewritten: bool = False


def _has_two_byte_codes(font: DictionaryObject) -> bool:
    """Whether text in ``font`` is shown as 2-byte codes, as WeasyPrint does.

    WeasyPrint uses Identity-H, or its own CMap (same 2-byte codes, missing
    glyphs sent to .notdef) when some character had no glyph in the font.
    """
    if font.get("/Subtype") != "/Type0":
        return False
    encoding = _deref(font.get("/Encoding"))
    if encoding == "/Identity-H":
        return True
    if isinstance(encoding, StreamObject):
        return re.search(rb"begincodespacerange\s*<0000>\s*<ffff>", encoding.get_data()) is not None
    return False


def _cid_widths(font: DictionaryObject) -> dict[int, float] | None:
    """Glyph advances of a WeasyPrint CID font (2-byte codes), from /W and /DW."""
    if not _has_two_byte_codes(font):
        return None
    descendant = _deref(_deref(font["/DescendantFonts"])[0])
    widths: dict[int, float] = {-1: float(descendant.get("/DW", 1000))}
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


def _fix_font(font: DictionaryObject) -> _PdfFont:
    """Rewrite the ToUnicode CMap of one of our patched fonts and describe the font."""
    widths = _cid_widths(font)
    to_unicode = font.get("/ToUnicode")
    if widths is None or to_unicode is None:
        return _PdfFont(None, None, ours=False)
    stream = to_unicode.get_object()
    old = _parse_to_unicode(stream.get_data())
    marker = _embedded_font_marker(font)
    texts = _texts_for_marker(marker) if marker else None
    if texts is None:
        return _PdfFont(old, widths, ours=False)
    # Safety net: our map is by glyph id, which is only right while WeasyPrint
    # keeps glyph ids when subsetting (it does, via HarfBuzz's RETAIN_GIDS).
    # Where WeasyPrint recorded a single character, that character should be
    # one of the glyph's own texts; if many are not, ids were renumbered.
    disagreeing = [
        gid
        for gid, seen in old.items()
        if len(seen) == 1 and not seen.isspace() and seen not in texts.get(gid, [seen])
    ]
    if len(disagreeing) * 4 > len(old):
        _LOGGER.warning(
            "Not fixing the text of font %s: its glyph ids do not match %s",
            font.get("/BaseFont"),
            marker,
        )
        return _PdfFont(old, widths, ours=False)
    new = {}
    for gid, seen in old.items():
        candidates = texts.get(gid)
        # Keep WeasyPrint's cluster text when it is one of the glyph's own
        # texts (space vs. no-break space, "i" vs. dotless i...); otherwise
        # it is an artefact of cluster merging: use the font's answer.
        new[gid] = seen if not candidates or seen in candidates else candidates[0]
    if new == old:
        return _PdfFont(new, widths, ours=True)
    stream.set_data(_build_to_unicode(new))
    return _PdfFont(new, widths, ours=True, rewritten=True)


_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
# What WeasyPrint writes for text: "/F 12 Tf", "[<hex> number <hex> ...] TJ"
# and a few operators that end a word. Anything else is copied byte for byte.
# A TJ/Tj the first branch cannot read shows up as an "op" and disables the
# span wrapping of its text object rather than risking a wrong ActualText.
_CONTENT_TOKENS = re.compile(
    rb"\[(?P<tj>(?:<[0-9a-fA-F\s]*>|" + _NUMBER + rb"|\s)*)\]\s*TJ"
    rb"|/(?P<font>[^\s/\[\]<>()%{}]+)\s+" + _NUMBER + rb"\s+Tf"
    rb"|(?<![^\s\]>)])(?P<op>BT|ET|Tm|Td|TD|T\*|Tj|TJ|BDC|BMC|EMC)(?![^\s\[</(%])"
)
_TJ_ITEMS = re.compile(rb"<(?P<hex>[0-9a-fA-F\s]*)>|(?P<number>" + _NUMBER + rb")")


class _PenTracker:
    """Finds the pen-returns after left-shifted marks in TJ arrays.

    WeasyPrint draws a mark pulled left by GPOS (a tone mark over ป, ฝ, ฟ or
    over a raised upper vowel) as ``+n <mark> -n``: move left, draw the
    zero-width mark, move back. pypdf's plain ``extract_text()`` reads any
    single TJ adjustment wider than about half a space as a word gap, so
    "ปี่ ป้า" came out as "ปี่  ป้า" and "ฝั่ง" as "ฝั่ ง". The part of a
    rightward move that only returns over ground already covered since the
    last BT/Tm/Td/Tf is split into small steps; the part beyond (a real gap)
    stays one number so it still reads as a space. Renderers only use the
    sum, so the page is unchanged.
    """

    #: Largest piece, in thousandths of an em; pypdf's threshold is ~0.47 of
    #: the space width (Sarabun's spaces are 230-254), so 40 is far below it.
    step = 40.0

    def __init__(self) -> None:
        self.widths: dict[int, float] | None = None
        self.pen = self.furthest = 0.0

    def reset(self) -> None:
        self.pen = self.furthest = 0.0

    def set_font(self, widths: dict[int, float] | None) -> None:
        self.widths = widths
        self.reset()

    def glyph(self, code: int) -> None:
        if self.widths is not None:
            self.pen += self.widths.get(code, self.widths[-1])
            self.furthest = max(self.furthest, self.pen)

    def adjust(self, raw: bytes) -> list[bytes]:
        value = float(raw)
        if self.widths is None or value > 0:
            self.pen -= value  # a TJ number moves the pen *left* by value/1000 em
            return [raw]
        old_pen = self.pen
        self.pen -= value
        returning = max(0.0, min(self.pen, self.furthest) - old_pen)
        self.furthest = max(self.furthest, self.pen)
        if returning <= self.step:
            return [raw]
        pieces = []
        remaining = returning
        while remaining > self.step:
            pieces.append(-self.step)
            remaining -= self.step
        pieces.append(-remaining)
        gap = (self.pen - old_pen) - returning
        if gap > 0:
            pieces.append(-gap)
        return [_format_number(piece) for piece in pieces]


def _format_number(value: float) -> bytes:
    """PDF real without exponent (Python's repr may use one)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


def _actual_text(text: str) -> bytes:
    return (
        b"/Span <</ActualText <FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">>> BDC"
    )


# Token kinds produced by _tokenize().
_Glyphs = tuple[_PdfFont, list[int]]  # codes shown with one font
_TJItem = bytes | _Glyphs  # a raw number / opaque string, or glyphs


def _tokenize(content: bytes, fonts: Mapping[str, _PdfFont]) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    font: _PdfFont | None = None
    position = 0
    for match in _CONTENT_TOKENS.finditer(content):
        tokens.append(("raw", content[position : match.start()]))
        position = match.end()
        if match["font"] is not None:
            font = fonts.get("/" + match["font"].decode("latin-1"))
            tokens.append(("font", (font, match[0])))
        elif match["op"] is not None:
            tokens.append(("op", match[0]))
        else:
            items: list[_TJItem] = []
            for item in _TJ_ITEMS.finditer(match["tj"]):
                if item["number"] is not None:
                    items.append(item["number"])
                    continue
                digits = re.sub(rb"\s", b"", item["hex"])
                if font is None or font.texts is None or len(digits) % 4:
                    items.append(b"<" + digits + b">")
                else:
                    codes = [int(digits[i : i + 4], 16) for i in range(0, len(digits), 4)]
                    items.append((font, codes))
            tokens.append(("tj", items))
    tokens.append(("raw", content[position:]))
    return tokens


def _plan_spans(block: list[tuple[str, Any]]) -> tuple[dict[int, str], set[int]]:
    """Find the words of one text object that need an ActualText span.

    Returns span start glyph index → text, and the set of span end indexes
    (glyphs are numbered in content order). A word is a run of glyphs
    between whitespace glyphs and positioning / marked-content operators.
    Only words with a zero-width glyph of a patched font get a span: those
    are the ones Poppler can scramble.

    Why spans at all: Poppler's text extractor orders characters by their
    x origin and splits words wherever two glyphs start at (nearly) the same
    x. Thai marks are zero-width glyphs whose origin GPOS may put a hair
    right of the next letter or left of the mark before it, so plain
    pdftotext turned "ห่อ" into "หอ่" and "จี้กุ่ง" into "จี้ก่งุ" – with
    stock WeasyPrint and Sarabun too. Inside ``/Span <</ActualText ...>>``
    Poppler takes the given text for the whole run instead. pypdf ignores
    ActualText and reads the (fixed) ToUnicode maps, which are in content
    order, so both agree.
    """
    if any(kind == "op" and value.strip() in (b"TJ", b"Tj") for kind, value in block):
        return {}, set()  # some text we could not read: leave this object alone
    starts: dict[int, str] = {}
    ends: set[int] = set()
    word: list[tuple[_PdfFont, int]] = []
    first = index = 0

    def close() -> None:
        if not word:
            return
        needs_span = any(
            font.ours and font.widths is not None and font.widths.get(code, 1) == 0
            for font, code in word
        )
        texts = [font.texts.get(code) if font.texts else None for font, code in word]
        if needs_span and all(text is not None for text in texts):
            text = "".join(t for t in texts if t is not None)
            if text:
                starts[first] = text
                ends.add(index - 1)
        word.clear()

    for kind, value in block:
        if kind == "op":
            close()
        elif kind == "tj":
            for item in value:
                if isinstance(item, bytes):
                    if item.startswith(b"<") and item != b"<>":
                        close()  # a string we cannot decode ends the word
                    continue
                font, codes = item
                for code in codes:
                    text = font.texts.get(code) if font.texts else None
                    if text is not None and text and text.isspace():
                        close()
                    else:
                        if not word:
                            first = index
                        word.append((font, code))
                    index += 1
    close()
    return starts, ends


class _TJWriter:
    """Re-emits one TJ operator, cut into several where spans begin or end."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.array: list[bytes] = []
        self.run: list[int] = []

    def codes(self) -> None:
        if self.run:
            self.array.append(b"<" + "".join(f"{c:04x}" for c in self.run).encode() + b">")
            self.run = []

    def flush(self) -> None:
        self.codes()
        if self.array:
            joined = b""
            for part in self.array:
                if joined and not joined.endswith(b">") and not part.startswith(b"<"):
                    joined += b" "  # two numbers in a row need a separator
                joined += part
            self.pieces.append(b"[" + joined + b"] TJ")
            self.array = []

    def operator(self, operator: bytes) -> None:
        self.flush()
        self.pieces.append(operator)

    def part(self, part: bytes) -> None:
        self.codes()
        self.array.append(part)


def _rewrite_block(block: list[tuple[str, Any]], pen: _PenTracker, spans: bool) -> list[bytes]:
    """Re-emit one text object (or the tokens between two) with spans and split offsets."""
    starts, ends = _plan_spans(block) if spans else ({}, set())
    out: list[bytes] = []
    index = 0
    for kind, value in block:
        if kind == "raw":
            out.append(value)
        elif kind == "font":
            font, raw = value
            pen.set_font(font.widths if font else None)
            out.append(raw)
        elif kind == "op":
            if value.strip() in (b"BT", b"ET", b"Tm", b"Td", b"TD", b"T*"):
                pen.reset()
            out.append(value)
        else:
            writer = _TJWriter()
            for item in value:
                if isinstance(item, bytes):
                    for part in [item] if item.startswith(b"<") else pen.adjust(item):
                        writer.part(part)
                    continue
                for code in item[1]:
                    if index in starts:
                        writer.operator(_actual_text(starts[index]))
                    writer.run.append(code)
                    pen.glyph(code)
                    if index in ends:
                        writer.operator(b"EMC")
                    index += 1
            writer.flush()
            out.append(b"\n".join(writer.pieces))
    return out


def _rewrite_content(content: bytes, fonts: Mapping[str, _PdfFont]) -> bytes:
    """Add ActualText spans and split mark pen-returns in one content stream."""
    pen = _PenTracker()
    # Already has spans (fix_pdf_text run twice, or made elsewhere): never nest ours.
    spans = b"/ActualText" not in content
    out: list[bytes] = []
    block: list[tuple[str, Any]] = []
    in_text = False
    for token in _tokenize(content, fonts):
        kind, value = token
        if kind == "op" and value.strip() == b"BT":
            out += _rewrite_block(block, pen, spans)
            block = [token]
            in_text = True
        elif kind == "op" and value.strip() == b"ET" and in_text:
            block.append(token)
            out += _rewrite_block(block, pen, spans)
            block = []
            in_text = False
        else:
            block.append(token)
    out += _rewrite_block(block, pen, spans)
    return b"".join(out)


def _form_xobjects(
    resources: DictionaryObject, seen: set[int]
) -> Iterator[tuple[StreamObject, DictionaryObject]]:
    """Form XObjects reachable from ``resources``, each with its own resources."""
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    for reference in xobjects.get_object().values():
        key = getattr(reference, "idnum", None)
        form = reference.get_object()
        if form.get("/Subtype") != "/Form" or key in seen:
            continue
        if key is not None:
            seen.add(key)
        form_resources = form.get("/Resources")
        form_resources = form_resources.get_object() if form_resources else resources
        yield form, form_resources
        yield from _form_xobjects(form_resources, seen)


def fix_pdf_text(pdf: bytes) -> bytes:
    """Make the text of a WeasyPrint PDF that uses the patched fonts extract exactly.

    * Rewrites the ToUnicode CMap of every patched Sarabun font (see the
      module docstring). Other fonts keep theirs.
    * Wraps Thai words that contain marks in ActualText spans for Poppler
      (see :func:`_plan_spans`).
    * Splits mark pen-returns for pypdf (see :class:`_PenTracker`).

    Only page and form XObject content streams are rewritten; rendering is
    unchanged. Returns the input as is when there is nothing to fix.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    font_info: dict[int, _PdfFont] = {}
    foreign: set[str] = set()  # fonts drawing Thai that are not ours
    seen_forms: set[int] = set()
    changed = False
    for page in writer.pages:
        page_resources = page.get("/Resources")
        page_resources = page_resources.get_object() if page_resources else DictionaryObject()
        contents = page.get("/Contents")
        holders: list[tuple[Any, DictionaryObject]] = []
        if contents is not None:
            contents = contents.get_object()
            streams = contents if isinstance(contents, ArrayObject) else [contents]
            holders += [(stream.get_object(), page_resources) for stream in streams]
        holders += _form_xobjects(page_resources, seen_forms)
        for stream, resources in holders:
            fonts: dict[str, _PdfFont] = {}
            font_resources = resources.get("/Font")
            for name, reference in (font_resources.get_object() if font_resources else {}).items():
                key = getattr(reference, "idnum", None) or id(reference.get_object())
                if key not in font_info:
                    font_info[key] = info = _fix_font(reference.get_object())
                    changed |= info.rewritten
                    if not info.ours and any(_THAI.search(t) for t in (info.texts or {}).values()):
                        foreign.add(str(reference.get_object().get("/BaseFont")))
                fonts[name] = font_info[key]
            if not any(font.ours for font in fonts.values()):
                continue
            data = stream.get_data()
            new_data = _rewrite_content(data, fonts)
            if new_data != data:
                stream.set_data(new_data)
                changed = True
    if foreign:
        _LOGGER.warning(
            "Thai text drawn in %s, not in the patched faces: it may not extract back "
            '(name font-family: "%s" in the document\'s CSS)',
            ", ".join(sorted(foreign)), PDF_FAMILY,
        )
    if not changed:
        return pdf
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def html_to_pdf(html: str, base_url: str | None = None, *, include_fonts: bool = True) -> bytes:
    """Render ``html`` with WeasyPrint into a PDF whose text extracts exactly.

    With ``include_fonts`` (default) the patched Sarabun faces of
    :func:`font_face_css` are added as an extra stylesheet, so templates only
    need ``font-family: "Tidtam Sarabun"`` (:data:`PDF_FAMILY`).
    """
    # Imported here: WeasyPrint loads Pango/HarfBuzz, which callers that only
    # need font_face_css() or fix_pdf_text() should not pay for.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = [CSS(string=font_face_css(), font_config=font_config)] if include_fonts else []
    document = HTML(string=html, base_url=base_url)
    pdf = document.write_pdf(stylesheets=stylesheets, font_config=font_config)
    return fix_pdf_text(pdf)
