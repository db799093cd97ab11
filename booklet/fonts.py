"""Bundled TrueType fonts → registered ReportLab fonts, and which characters each can set.

The fonts live in the top-level fonts/ folder, installed as the `booklet.font_files` package,
so they are found through importlib.resources after any kind of install.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .cache import digest


@dataclass(frozen=True)
class FontFamily:
    """File names of a family's faces; a missing face falls back to the nearest one."""

    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None

    def file_for(self, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.bold_italic or self.bold or self.italic or self.regular
        if bold:
            return self.bold or self.regular
        if italic:
            return self.italic or self.regular
        return self.regular


FAMILIES: dict[str, FontFamily] = {
    # the default text face: Bitstream Charter's design (made for low-resolution printers, so
    # it survives a copy shop's toner), with a wide word space that keeps justified A6 lines
    # even (benchmarks/typography.md); Latin, Greek and Cyrillic
    "Charis SIL": FontFamily(
        regular="CharisSIL-Regular.ttf",
        bold="CharisSIL-Bold.ttf",
        italic="CharisSIL-Italic.ttf",
        bold_italic="CharisSIL-BoldItalic.ttf",
    ),
    # a lighter, more delicate text face with the same coverage
    "Gentium Book Plus": FontFamily(
        regular="GentiumBookPlus-Regular.ttf",
        bold="GentiumBookPlus-Bold.ttf",
        italic="GentiumBookPlus-Italic.ttf",
        bold_italic="GentiumBookPlus-BoldItalic.ttf",
    ),
    "Noto Sans": FontFamily(regular="NotoSans-Regular.ttf", bold="NotoSans-Bold.ttf"),
    "Liberation Mono": FontFamily(regular="LiberationMono-Regular.ttf"),
}
"""The bundled families (all SIL OFL 1.1; licences beside the files in fonts/)."""


def font_path(file_name: str) -> Path:
    return Path(str(resources.files("booklet.font_files").joinpath(file_name)))


def face_name(family: str, bold: bool = False, italic: bool = False) -> str:
    """Register (once) and return the ReportLab name of a family's face."""
    file_name = FAMILIES[family].file_for(bold, italic)
    return _register(file_name)


@cache
def _register(file_name: str) -> str:
    name = Path(file_name).stem
    pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))
    return name


@cache
def font_digest(font_name: str) -> bytes:
    """A digest of the file behind a registered font (what its metrics come from, whatever
    its name)."""
    face = pdfmetrics.getFont(font_name).face
    return digest(Path(face.filename).read_bytes())


def has_glyph(font_name: str, char: str) -> bool:
    """Whether a registered font has a glyph for `char` (spaces and controls always pass)."""
    return ord(char) in _cmap(font_name) or not char.isprintable() or char.isspace()


@cache
def _cmap(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def string_width(text: str, font_name: str, size: float) -> float:
    """Width of `text` in points."""
    return pdfmetrics.stringWidth(text, font_name, size)
