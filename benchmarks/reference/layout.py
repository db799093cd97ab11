"""The pocket layout and the bundled fonts, as the reference writers and the runner read them."""

from __future__ import annotations

import re
from pathlib import Path

from booklet.layouts import Layout, TextStyle

ROOT = Path(__file__).resolve().parents[2]  # the repository
LAYOUT = ROOT / "layouts" / "pocket.toml"
FONT_DIR = ROOT / "fonts"


def layout_with_body(family: str, folder: Path) -> Path:
    """A copy of the pocket layout whose [fonts] body is `family`, written to folder/pocket.toml."""
    text = LAYOUT.read_text(encoding="utf-8")
    fonts = re.search(r"(?ms)^\[fonts\]\n.*?(?=^\[|\Z)", text)
    table = re.sub(r'(?m)^body\s*=\s*"[^"]*"', f'body = "{family}"', fonts.group(0))
    path = folder / "pocket.toml"
    path.write_text(text[:fonts.start()] + table + text[fonts.end():], encoding="utf-8")
    return path


def font_files(family: str) -> dict[str, Path]:
    """The bundled files of a family by face (Regular, Bold, Italic, BoldItalic)."""
    prefix = family.replace(" ", "")
    faces = {face: FONT_DIR / f"{prefix}-{face}.ttf" for face in ("Regular", "Bold", "Italic", "BoldItalic")}
    return {face: path for face, path in faces.items() if path.is_file()}


def marker_style(layout: Layout) -> TextStyle:
    """The page marker as a text style, with booklet's default leading (1.25 × size)."""
    return TextStyle(layout.marker.font, layout.marker.size, layout.marker.size * 1.25)


def marker_affixes(layout: Layout) -> tuple[str, str]:
    """The page marker's text before and after the page number ("{n}" in its format)."""
    before, after = layout.marker.format.split("{n}", 1)
    return before, after
