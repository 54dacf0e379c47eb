"""Thai text in our PDFs must extract back exactly (tidtam.documents.pdf).

No Django here: the module under test is plain Python. Poppler's pdftotext
must be exact; pypdf is held to the same standard.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from pypdf import PdfReader

from tidtam.documents import pdf as thai_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs poppler-utils (pdftotext, pdftoppm)",
)

# One entry per output line. Covers SARA AM alone and under tone marks (the
# merged clusters), tone marks over upper vowels and over tall consonants
# (shifted / narrow forms), ญ ฐ without descender, ฎ ฏ, digits, Latin
# punctuation and curly quotes. The last line has words that stock Poppler
# scrambles because of mark positions (ห่อ → หอ่, จี้กุ่ง → จี้ก่งุ).
CORPUS = (
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน",
    "ประจำปีงบประมาณ พ.ศ. 2566",
    "น้ำ ค่ำ ทำ ที่ ปี่ ป้า ฝั่ง ฟ้า",
    "ญาติ กตัญญู ฐาน ฎีกา ฏ ปฐมวัย",
    "ขั้นพื้นฐาน ผู้อำนวยการ ดีเยี่ยม พอใช้",
    "กำกับ ติดตาม “พาน้องกลับมาเรียน”",
    "ห่อ ยุ่ง จี้กุ่ง แช่อิ่ม ยืดหยุ่น ปู่ ฟื้นฟู",
)
STYLES = {
    "regular": "",
    "bold": "font-weight: bold",
    "italic": "font-style: italic",
    "bold italic": "font-weight: bold; font-style: italic",
}
SIZES_PT = (9, 14, 20)
TABLE = (
    ("ตัวชี้วัด", "ผลการประเมิน"),
    ("ผู้อำนวยการ", "ดีเยี่ยม"),
    ("ขั้นพื้นฐาน", "พอใช้"),
    ("น้ำ ค่ำ", "ปี่ ป้า"),
)

PAGE_CSS = """
@page { size: A4 landscape; margin: 1cm }
body { font-family: "Tidtam Sarabun" }
p { margin: 0 0 8pt; white-space: nowrap }  /* see _document_html() */
td, th { border: 1px solid black; padding: 2pt 12pt }
"""


def _document_html() -> str:
    """Every corpus line in every style and size, one line each, then a table.

    ``nowrap`` keeps each corpus line on one output line. The 8pt paragraph
    gap is for pypdf: it joins a 20pt line and a following 9pt line set
    closer than ~0.8 of the smaller size into one line, with any font, Thai
    or not (its line detection, nothing to do with this fix).
    """
    paragraphs = [
        f'<p style="{style}; font-size: {size}pt">{line}</p>'
        for style in STYLES.values()
        for size in SIZES_PT
        for line in CORPUS
    ]
    header, *rows = TABLE
    table = (
        "<table><tr>"
        + "".join(f"<th>{cell}</th>" for cell in header)
        + "</tr>"
        + "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
        + "</table>"
    )
    return f"<html lang='th'><style>{PAGE_CSS}</style>{''.join(paragraphs)}{table}</html>"


def _stock_font_face_css() -> str:
    """@font-face rules for the *unpatched* Sarabun, mirroring font_face_css() (same family)."""
    rules = []
    for weight in (400, 700):
        for italic in (False, True):
            stem = thai_pdf._sarabun_stem(weight, italic)
            path = thai_pdf._SARABUN_DIR / f"{stem}.ttf"
            style = "italic" if italic else "normal"
            rules.append(
                f'@font-face {{ font-family: "{thai_pdf.PDF_FAMILY}"; font-weight: {weight}; '
                f'font-style: {style}; src: url("{path.as_uri()}") }}'
            )
    return "\n".join(rules)


def _stock_render(html: str) -> bytes:
    """Plain WeasyPrint with the original Sarabun: what we had before the fix."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(string=_stock_font_face_css(), font_config=font_config)
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=font_config)


def _pdftotext(path: Path, *options: str) -> str:
    result = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def _pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _lines(text: str) -> list[str]:
    """Output lines with whitespace normalised (the only normalisation allowed)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _has_phrase(text: str, phrase: str) -> bool:
    """``phrase`` appears on one line, delimited by whitespace or line ends."""
    pattern = re.compile(rf"(?:^| ){re.escape(phrase)}(?: |$)")
    return any(pattern.search(line) for line in _lines(text))


EXTRACTORS = {
    "pdftotext -layout": lambda path: _pdftotext(path, "-layout"),
    "pdftotext": lambda path: _pdftotext(path),
    "pypdf": _pypdf_text,
}


@pytest.fixture(scope="module")
def fixed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "fixed.pdf"
    path.write_bytes(thai_pdf.html_to_pdf(_document_html()))
    return path


@pytest.fixture(scope="module")
def stock_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "stock.pdf"
    path.write_bytes(_stock_render(_document_html()))
    return path


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_every_corpus_line_round_trips(fixed_pdf: Path, extractor: str) -> None:
    lines = _lines(EXTRACTORS[extractor](fixed_pdf))
    expected_count = len(STYLES) * len(SIZES_PT)
    wrong = {line: lines.count(line) for line in CORPUS if lines.count(line) != expected_count}
    assert not wrong, f"{extractor}: lines found a wrong number of times: {wrong}\n" + "\n".join(
        lines
    )


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_table_cells_round_trip(fixed_pdf: Path, extractor: str) -> None:
    text = EXTRACTORS[extractor](fixed_pdf)
    missing = [cell for row in TABLE for cell in row if not _has_phrase(text, cell)]
    assert not missing, f"{extractor}: {missing}"


@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_stock_weasyprint_garbles_thai(stock_pdf: Path, extractor: str) -> None:
    """Without the fix the same document does not round-trip: the fix matters."""
    text = EXTRACTORS[extractor](stock_pdf)
    lines = _lines(text)
    # Sara aa maps to sara am everywhere, and the tone mark of a merged
    # tone + sara am cluster is lost.
    assert "สำนักงาน" not in text
    assert "สำนักงำน" in text
    assert not _has_phrase(text, "น้ำ")
    assert _has_phrase(text, "นำ")
    assert sum(lines.count(line) for line in CORPUS) < len(CORPUS) * len(STYLES) * len(SIZES_PT)


def test_stock_poppler_scrambles_marks_without_actual_text(stock_pdf: Path) -> None:
    """Even words with no SARA AM come out reordered by stock pdftotext."""
    text = _pdftotext(stock_pdf)
    assert not all(_has_phrase(text, word) for word in CORPUS[-1].split())


def test_rendering_is_unchanged(tmp_path: Path) -> None:
    """Patched fonts and post-processing must not move a single pixel."""
    sample = " ".join(CORPUS[2:])
    html = ("<style>@page { size: A5 landscape } "
            "body { font-family: 'Tidtam Sarabun'; font-size: 15pt }")
    html += "</style>" + "".join(f'<p style="{style}">{sample}</p>' for style in STYLES.values())
    images = []
    for name, data in (("stock", _stock_render(html)), ("fixed", thai_pdf.html_to_pdf(html))):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "100", "-singlefile", f"{name}.pdf", name],
            cwd=tmp_path,
            check=True,
        )
        images.append(Image.open(tmp_path / f"{name}.png").convert("RGB"))
    stock, fixed = images
    assert stock.size == fixed.size
    assert stock.getbbox() is not None  # something was drawn
    assert ImageChops.difference(stock, fixed).getbbox() is None


@pytest.mark.parametrize("extractor", ["pdftotext -layout", "pdftotext"])
def test_glyph_missing_from_every_font(tmp_path: Path, extractor: str) -> None:
    """A character no font has makes WeasyPrint switch the font to its own
    encoding CMap (to draw .notdef); the Thai around it must still be fixed.

    pypdf is left out: it misreads that encoding with or without our fix.
    """
    path = tmp_path / "missing.pdf"
    path.write_bytes(thai_pdf.html_to_pdf(
        "<p style='font-family: \"Tidtam Sarabun\"'>น้ำ\ue000ค่ำ ทำงาน</p>"))
    text = EXTRACTORS[extractor](path)
    assert "น้ำ" in text
    assert "ค่ำ ทำงาน" in text


def test_fix_pdf_text_is_a_no_op_when_there_is_nothing_to_fix(
    stock_pdf: Path, fixed_pdf: Path
) -> None:
    # Stock fonts are not ours; an already fixed PDF must not get nested spans.
    for path in (stock_pdf, fixed_pdf):
        data = path.read_bytes()
        assert thai_pdf.fix_pdf_text(data) == data


def test_font_face_css_points_at_patched_fonts() -> None:
    css = thai_pdf.font_face_css()
    faces = re.findall(r"@font-face \{[^}]*\}", css)
    assert len(faces) == 4
    found = set()
    for face in faces:
        assert 'font-family: "Tidtam Sarabun"' in face
        weight = int(re.search(r"font-weight: (\d+)", face)[1])  # type: ignore[index]
        style = re.search(r"font-style: (\w+)", face)[1]  # type: ignore[index]
        url = re.search(r'url\("file://([^"]+)"\)', face)[1]  # type: ignore[index]
        assert Path(url).is_file()
        assert Path(url).parent == thai_pdf.font_cache_dir()
        found.add((weight, style))
    assert found == {(400, "normal"), (400, "italic"), (700, "normal"), (700, "italic")}


def test_patched_font_keeps_glyph_ids_and_adds_twins() -> None:
    original = TTFont(thai_pdf._SARABUN_DIR / "Sarabun-Regular.ttf")
    patched = TTFont(thai_pdf.patched_font_path(400))
    old_order, new_order = original.getGlyphOrder(), patched.getGlyphOrder()
    assert new_order[: len(old_order)] == old_order
    twins = new_order[len(old_order) :]
    assert {"uni0E32.am", "uni0E4D.am", "uni0E4D0E49.am", "uni0E4D.narrow.am"} <= set(twins)
    for twin in twins:
        source = twin.removesuffix(".am")
        assert patched["hmtx"][twin] == original["hmtx"][source]
        assert patched["glyf"][twin].getCoordinates(patched["glyf"]) == original["glyf"][
            source
        ].getCoordinates(original["glyf"])
        classes = patched["GDEF"].table.GlyphClassDef.classDefs
        assert classes.get(twin) == classes.get(source)


def test_font_cache_is_keyed_by_recipe_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIDTAM_FONT_CACHE", str(tmp_path))
    first = thai_pdf.patched_font_path(400)
    assert first.parent == tmp_path / thai_pdf.FONT_RECIPE_VERSION
    built = first.stat().st_mtime_ns
    assert thai_pdf.patched_font_path(400) == first
    assert first.stat().st_mtime_ns == built  # reused, not rebuilt

    monkeypatch.setattr(thai_pdf, "FONT_RECIPE_VERSION", "test-next-recipe")
    second = thai_pdf.patched_font_path(400)
    assert second.parent == tmp_path / "test-next-recipe"
    assert second.is_file()


def test_html_to_pdf_returns_a_pdf_with_the_patched_fonts() -> None:
    data = thai_pdf.html_to_pdf("<p style='font-family: \"Tidtam Sarabun\"'>น้ำ</p>")
    assert data.startswith(b"%PDF-")
    fonts = [
        font.get_object()["/BaseFont"]
        for page in PdfReader(io.BytesIO(data)).pages
        for font in cast(Any, page["/Resources"])["/Font"].values()
    ]
    assert fonts and all("Tidtam-Sarabun" in name for name in fonts)


def test_patched_faces_have_a_family_of_their_own() -> None:
    """A machine with the stock Sarabun installed has a second "Sarabun"; ours is not one."""
    for weight in (400, 700):
        for italic in (False, True):
            names = TTFont(thai_pdf.patched_font_path(weight, italic))["name"]
            assert names.getDebugName(1) == thai_pdf.PDF_FAMILY
            assert str(names.getDebugName(4)).startswith(thai_pdf.PDF_FAMILY + " ")
            assert str(names.getDebugName(6)).startswith("TidtamSarabun-")
            assert "Sarabun" not in {names.getDebugName(1), names.getDebugName(16)}


def test_thai_in_another_font_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    """Thai drawn in a face other than the patched ones is logged: here the stock Sarabun,
    as a Thai government PC has it installed (given by the page itself, so that the test
    does not depend on which Thai fonts this machine has, if any)."""
    import fontpkg_sarabun

    stock = Path(fontpkg_sarabun.__file__).resolve().parent / "files" / "Sarabun-Regular.ttf"
    face = f"@font-face {{ font-family: 'Stock Sarabun'; src: url('{stock.as_uri()}') }}"
    html = f"<style>{face}</style><p style=\"font-family: 'Stock Sarabun'\">ประจำปีงบประมาณ</p>"
    with caplog.at_level("WARNING", logger="tidtam.documents.pdf"):
        thai_pdf.html_to_pdf(html)
    assert "not in the patched faces" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="tidtam.documents.pdf"):
        thai_pdf.html_to_pdf("<p style='font-family: \"Tidtam Sarabun\"'>ประจำปีงบประมาณ</p>")
    assert caplog.text == ""
