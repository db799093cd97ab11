"""Fonts a layout names (bundled, by path, by system family), the fallback chain, the symbols and
Greek of the default layout, and the one missing-glyph error with a font the user can add."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from booklet.cli import main
from building import build_reading_pdf
from pdftext import embedded_fonts
from booklet.errors import BookletError
from booklet.fonts import bundled_font_path, face_name, installed_families_with, resolve_family, split_by_face
from booklet.layouts import builtin_layouts

HAS_FC = shutil.which("fc-match") is not None


def write_booklet(folder: Path, text: str, fonts: str | None = None) -> Path:
    """A one-file booklet; `fonts` replaces the [fonts] table of a copy of the pocket layout."""
    folder.mkdir(parents=True, exist_ok=True)
    layout = ""
    if fonts is not None:
        pocket = builtin_layouts()["pocket"].read_text(encoding="utf-8")
        table = re.compile(r"^\[fonts\]\n(?:[^\[\n].*\n)*", re.M)
        (folder / "mine.toml").write_text(table.sub(f"[fonts]\n{fonts}\n\n", pocket), encoding="utf-8")
        layout = "layout: mine.toml\n"
    source = folder / "zine.md"
    source.write_text(f"---\ntitle: Font Trials\n{layout}---\n# Letters\n\n{text}\n", encoding="utf-8")
    return source


def chars_with_fonts(pdf: Path, page_index: int) -> list[tuple[str, str]]:
    with pdfplumber.open(pdf) as document:
        return [(c["text"], c["fontname"].split("+", 1)[-1]) for c in document.pages[page_index].chars]


def word_fonts(pdf: Path, page_index: int, word: str) -> set[str]:
    """The fonts of the characters of `word`'s first occurrence on the page."""
    chars = chars_with_fonts(pdf, page_index)
    text = "".join(c for c, _ in chars)
    start = text.index(word)
    return {f for _, f in chars[start:start + len(word)]}


def test_symbols_and_greek_print_in_the_default_layout(tmp_path):
    text = "Rated ★★★ with ❤, done ✓ → next; ☐ open, ☑ ticked. Greek: *Ελληνικά* and **λόγος** and Αθήνα."
    pdf = build_reading_pdf(write_booklet(tmp_path / "b", text))
    chars = chars_with_fonts(pdf, 1)
    printed = "".join(c for c, _ in chars)
    for wanted in ("★★★", "❤", "✓", "→", "☐", "☑", "Ελληνικά", "λόγος", "Αθήνα"):
        assert wanted in printed
    font_of = {c: f for c, f in chars}
    assert font_of["★"] == font_of["☑"] == "NotoSansSymbols2-Regular"
    # each Greek word is set in one face (the bundled Charis lacks Α, ε, ο …): Gentium Book Plus
    greek = {f for c, f in chars if "\u0370" <= c <= "\u03ff"}
    assert greek and all(f.startswith("GentiumBookPlus") for f in greek)
    assert {"GentiumBookPlus-Italic", "GentiumBookPlus-Bold", "NotoSansSymbols2-Regular"} <= embedded_fonts(pdf)


def test_two_font_files_sharing_a_postscript_name_print_as_two_fonts(tmp_path):
    """Liberation Mono renamed by hand to Charis SIL Bold's PostScript name (same length, in
    the name table's Mac and Windows records): ReportLab alone sets the body in the bold serif."""
    data = bundled_font_path("LiberationMono-Regular.ttf").read_bytes()
    for old, new in ((b"LiberationMono", b"CharisSIL-Bold"), ("LiberationMono".encode("utf-16-be"),
                                                              "CharisSIL-Bold".encode("utf-16-be"))):
        assert data.count(old) == 1
        data = data.replace(old, new)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Renamed.ttf").write_bytes(data)
    source = write_booklet(tmp_path / "b", "mmmm iiii",
                           fonts=f'body = "Renamed.ttf"\ntitle = "{bundled_font_path("CharisSIL-Bold.ttf")}"\n'
                                 f'mono = "Liberation Mono"')
    pdf = build_reading_pdf(source)
    fonts = embedded_fonts(pdf)
    assert "CharisSIL-Bold" in fonts and any(re.fullmatch(r"CharisSIL-Bold-[0-9a-f]{8}", f) for f in fonts)
    with pdfplumber.open(pdf) as document:
        chars = [c for c in document.pages[1].chars if c["text"] in "mi"]
    widths = {c["text"]: round(c["x1"] - c["x0"], 2) for c in chars if c["size"] < 11}
    assert widths["m"] == widths["i"]  # the body is in the monospace face it names


def test_a_font_file_named_by_path_with_its_bold_face_beside_it(tmp_path):
    fonts = tmp_path / "b" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(bundled_font_path("GentiumBookPlus-Regular.ttf"), fonts / "Trial-Regular.ttf")
    shutil.copy(bundled_font_path("GentiumBookPlus-Bold.ttf"), fonts / "Trial-Bold.ttf")
    source = write_booklet(tmp_path / "b", "Plain words and **strong words** and *slanted ones*.",
                           fonts='body = "fonts/Trial-Regular.ttf"\ntitle = "Noto Sans"\nmono = "Liberation Mono"')
    pdf = build_reading_pdf(source)
    # the PDF names a font by its own PostScript name: these files are Gentium's, no fallback is set
    assert word_fonts(pdf, 1, "Plain") == {"GentiumBookPlus"}
    assert word_fonts(pdf, 1, "strong") == {"GentiumBookPlus-Bold"}
    # no italic file beside it: the regular face stands in, nothing is slanted by booklet
    assert word_fonts(pdf, 1, "slanted") == {"GentiumBookPlus"}
    assert not any(name.startswith("CharisSIL") for name in embedded_fonts(pdf))


@pytest.mark.skipif(not HAS_FC, reason="fontconfig's fc-match is not installed")
def test_a_family_installed_on_the_system_by_name():
    families = installed_families_with("a")
    name = next((f for f in ("DejaVu Serif", "DejaVu Sans", "Noto Serif") if f in families), None)
    if name is None:
        pytest.skip("no DejaVu or Noto Serif family installed")
    family = resolve_family(name)
    assert family.regular.path.is_file() and family.regular.path.suffix == ".ttf"
    if family.bold is not None:
        assert family.bold.path != family.regular.path
        assert face_name(family, bold=True) != face_name(family)


def test_a_family_that_is_not_installed_is_an_error_naming_the_fix(monkeypatch):
    with pytest.raises(BookletError, match="Gentium Book Plus") if HAS_FC else pytest.raises(BookletError):
        resolve_family("Gentium Bookish")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BookletError, match="fc-match, which is not installed; give the font's file path"):
        resolve_family("Some Family")


@pytest.mark.parametrize(("tables", "message"), [
    ((b"CFF ", b"head", b"cmap"), r"PostScript \(CFF\) outlines.*TrueType version"),
    ((b"CBDT", b"CBLC", b"cmap"), r"colour emoji font.*monochrome.*Noto Emoji"),
])
def test_fonts_reportlab_cannot_embed_are_refused_with_what_to_use(tmp_path, tables, message):
    path = tmp_path / "odd.otf"
    version = b"OTTO" if b"CFF " in tables else b"\x00\x01\x00\x00"
    path.write_bytes(version + struct.pack(">HHHH", len(tables), 0, 0, 0)
                     + b"".join(tag + bytes(12) for tag in tables))
    with pytest.raises(BookletError, match=message):
        resolve_family("odd.otf", tmp_path)


def test_a_fallback_chain_of_system_fonts_sets_hebrew(tmp_path):
    families = installed_families_with("שלום")
    if not families:
        pytest.skip("no installed TrueType font has Hebrew letters")
    fonts = (f'body = "Charis SIL"\ntitle = "Noto Sans"\nmono = "Liberation Mono"\n'
             f'fallback = ["Gentium Book Plus", "Noto Sans Symbols 2", "{families[0]}"]')
    pdf = build_reading_pdf(write_booklet(tmp_path / "b", "Shalom: שלום, and ★.", fonts=fonts))
    chars = chars_with_fonts(pdf, 1)
    hebrew = [(c, f) for c, f in chars if "\u0590" <= c <= "\u05ff"]
    assert sorted(c for c, _ in hebrew) == sorted("שלום")
    assert len({f for _, f in hebrew}) == 1 and dict(chars)["★"] == "NotoSansSymbols2-Regular"


def test_cjk_from_a_system_font_in_the_fallback_chain(tmp_path):
    families = installed_families_with("漢字")
    if not families:
        pytest.skip("no installed TrueType font has CJK ideographs")
    fonts = f'body = "Charis SIL"\ntitle = "Noto Sans"\nmono = "Liberation Mono"\nfallback = ["{families[0]}"]'
    pdf = build_reading_pdf(write_booklet(tmp_path / "b", "Kanji: 漢字.", fonts=fonts))
    assert "漢字" in "".join(c for c, _ in chars_with_fonts(pdf, 1))


def test_missing_glyphs_are_one_error_with_every_character_its_place_and_a_fallback_to_add(tmp_path):
    source = write_booklet(tmp_path / "b", "A runic ᚠ here.\n\nAnd a rune ᚱ with a linear B 𐀀 there.")
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "glyph" in line]
    assert len(lines) == 1, result.output
    line = lines[0]
    assert re.match(rf"^booklet: {re.escape(str(source))}:6: no font has a glyph for 'ᚠ' \(U\+16A0\), 'ᚱ'", line)
    assert "(U+10000)" in line and "zine.md:8" in line
    # the exact key with the current chain and one more font, and a way to find or name one
    assert 'fallback = ["Gentium Book Plus", "Noto Sans Symbols 2", "Noto Sans Symbols", "' in line
    assert re.search(r"fc-list ':charset=[0-9a-f]+' family|is installed on this machine", line)


def test_split_by_face_keeps_words_whole_and_drops_variation_selectors():
    charis, gentium, symbols = (face_name(f) for f in ("Charis SIL", "Gentium Book Plus", "Noto Sans Symbols 2"))
    pieces = split_by_face("ok λόγος ❤\ufe0f ᚠ", charis, lambda: (gentium, symbols))
    assert pieces == [("ok ", charis), ("λόγος", gentium), (" ", charis), ("❤", symbols), (" ", charis),
                      ("ᚠ", None)]
    # a text that its face sets whole is one piece, without the invisible characters (Charis maps them)
    assert split_by_face("ok\u200d ink\ufe0e\tand\u00ad\n", charis, lambda: (gentium, symbols)) == [
        ("ok ink\tand\u00ad\n", charis)]


def test_font_files_named_by_path_are_among_the_files_a_build_reads(tmp_path):
    from booklet.build import load_booklet, source_files

    fonts = tmp_path / "b" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(bundled_font_path("GentiumBookPlus-Regular.ttf"), fonts / "Trial-Regular.ttf")
    shutil.copy(bundled_font_path("GentiumBookPlus-Italic.ttf"), fonts / "Trial-Italic.ttf")
    source = write_booklet(tmp_path / "b", "Words.", fonts='body = "fonts/Trial-Regular.ttf"\ntitle = "Noto Sans"\n'
                                                         'mono = "Liberation Mono"')
    booklet, layout = load_booklet(source)
    files = source_files(source, booklet, layout)
    assert {(fonts / "Trial-Regular.ttf").resolve(), (fonts / "Trial-Italic.ttf").resolve()} <= files
    assert not any(path.name.startswith("CharisSIL") for path in files)  # bundled fonts do not change


def test_characters_beyond_the_bmp_are_extracted_as_printed(tmp_path, caplog):
    # regression: ReportLab's ToUnicode CMap wrote 🚲 as <1F6B2>, five hex digits, where the PDF
    # wants the UTF-16BE surrogate pair <D83DDEB2> (PDF 32000-1 §9.10.3); readers took U+1F6B (Ὣ)
    from pypdf import PdfReader

    wide = ["🚲", "👍", "🂡", "𝔄"]  # the first three in Noto Sans Symbols 2, 𝔄 in Charis SIL
    pdf = build_reading_pdf(write_booklet(tmp_path / "b", "Ride a 🚲, like 👍, draw 🂡 and write 𝔄 — done."))
    chars = chars_with_fonts(pdf, 1)
    assert [c for c, _ in chars if ord(c) > 0xFFFF] == wide
    assert {f for c, f in chars if c in wide[:3]} == {"NotoSansSymbols2-Regular"}
    assert dict(chars)["𝔄"] == "CharisSIL"  # the regular face's PostScript name
    with caplog.at_level("WARNING", logger="pypdf"):
        text = PdfReader(pdf).pages[1].extract_text()
    assert "Ride a 🚲, like 👍, draw 🂡 and write 𝔄 — done." in text.replace("\n", " ")
    assert not caplog.records


def _with_marker(source: Path, marker: str) -> Path:
    """The booklet of `write_booklet` with its layout's [marker] lines replaced."""
    layout = source.parent / "mine.toml"
    text = layout.read_text(encoding="utf-8")
    layout.write_text(re.sub(r"^\[marker\]\nformat = .*\n", f"[marker]\n{marker}\n", text, flags=re.M), encoding="utf-8")
    return source


def test_the_page_marker_is_set_through_the_fallback_chain(tmp_path):
    # Noto Sans (the title face) has no arrows; Gentium, first in the chain, has them
    pocket = builtin_layouts()["pocket"].read_text(encoding="utf-8")
    fonts = re.search(r"^\[fonts\]\n((?:[^\[\n].*\n)*)", pocket, re.M).group(1)
    source = _with_marker(write_booklet(tmp_path / "b", "Some words.", fonts=fonts),
                          'format = "← стор. {n} ★ →"\nfont = "title"')
    pdf = build_reading_pdf(source)
    with pdfplumber.open(pdf) as document:
        foot = [c for c in document.pages[1].chars if c["top"] > document.pages[1].height - 30]
    assert "".join(c["text"] for c in foot if c["text"] != " ") == "←стор.2★→"
    faces = {c["text"]: c["fontname"].split("+", 1)[-1] for c in foot}
    assert faces["с"] == "NotoSans-Regular" and faces["←"].startswith("GentiumBookPlus")
    assert faces["★"] == "NotoSansSymbols2-Regular"
    middle = (min(c["x0"] for c in foot) + max(c["x1"] for c in foot)) / 2
    assert middle == pytest.approx(document.pages[1].width / 2, abs=4)  # centred on the text block (mirrored margins)


def test_a_marker_character_no_font_has_is_an_error_naming_the_layout(tmp_path):
    source = _with_marker(write_booklet(tmp_path / "b", "Some words.", fonts='body = "Charis SIL"\ntitle = "Noto Sans"'
                                        '\nmono = "Liberation Mono"\nfallback = []'), 'format = "{n} ★"')
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1, result.output
    assert "mine.toml" in result.stderr and "U+2605" in result.stderr and result.stderr.count("\n") == 1


def test_contents_lines_are_set_through_the_fallback_chain(tmp_path):
    # the bundled Charis (the contents' face) has no Greek capitals: Gentium sets them
    source = tmp_path / "g.md"
    source.write_text("---\ntitle: Greek\n---\n# Αθήνα και λόγος ★\n\nSome text.\n\n# Second\n\nMore.\n",
                      encoding="utf-8")
    pdf = build_reading_pdf(source)
    with pdfplumber.open(pdf) as document:
        lines = [line["text"] for line in document.pages[0].extract_text_lines()]
    assert any(re.fullmatch(r"Αθήνα και λόγος ★ *2", line) for line in lines), lines


def test_a_font_file_cut_short_is_one_line_naming_it(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Cut-Regular.ttf").write_bytes(bundled_font_path("CharisSIL-Regular.ttf").read_bytes()[:60_000])
    source = write_booklet(tmp_path / "b", "Words.", fonts='body = "Cut-Regular.ttf"\ntitle = "Noto Sans"\n'
                                                          'mono = "Liberation Mono"')
    result = CliRunner().invoke(main, ["check", str(source)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert "Cut-Regular.ttf: cannot use this font: the file is cut short or damaged" in result.stderr
