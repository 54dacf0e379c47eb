"""Reading the text files people bring in: whatever encoding the old tools wrote."""

from __future__ import annotations

import re


class SourceError(ValueError):
    """The file can't be read as text; the message (Thai) says why and what to do."""


class ImportRejected(Exception):
    """A document that can't be imported; nothing was written.

    ``report()`` is the Thai message for the user: what is wrong and on which
    line parsing stopped.
    """

    def report(self) -> str:
        return str(self)


_BINARY_KINDS = [
    (b"%PDF", "PDF", "แปลงเป็นข้อความก่อน เช่น pdftotext -layout ไฟล์.pdf ไฟล์.txt"),
    (b"PK\x03\x04", "DOCX/XLSX (ZIP)", "บันทึกเป็นข้อความธรรมดา (.txt) จาก Word ก่อน"),
    (b"\xd0\xcf\x11\xe0", "Word/Excel รุ่นเก่า", "บันทึกเป็นข้อความธรรมดา (.txt) ก่อน"),
]
_THAI = re.compile("[\u0e01-\u0e5b]")
# Control characters a text file doesn't have (tab, newlines and form feed are fine;
# U+0003 is what fpdf2 leaves after ำ, DOMAIN.md §8, and stays allowed in small numbers).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or TIS-620/Windows-874.

    Thai text from older Windows tools is often TIS-620; it is accepted when
    it decodes and reads as Thai, so an office doesn't have to re-save years
    of files. Line endings become ``\\n``.
    """
    for magic, kind, hint in _BINARY_KINDS:
        if data.startswith(magic):
            raise SourceError(f"{name}: เป็นไฟล์ {kind} ไม่ใช่ไฟล์ข้อความ — {hint}")
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            try:
                legacy = data.decode("cp874")
            except UnicodeDecodeError:
                legacy = ""
            if not legacy.strip() or len(_THAI.findall(legacy)) * 4 < len(legacy.strip()):
                raise SourceError(
                    f"{name}: อ่านเป็นข้อความ UTF-8 ไม่ได้ (ตั้งแต่บรรทัดที่ {line}) "
                    "และไม่ใช่ข้อความภาษาไทยแบบ TIS-620 — กรุณาบันทึกเป็น UTF-8"
                ) from exc
            text = legacy
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls * 100 > len(text):
        raise SourceError(f"{name}: มีอักขระควบคุมปนอยู่มาก ไม่ใช่ไฟล์ข้อความ")
    return text.replace("\r\n", "\n").replace("\r", "\n")
