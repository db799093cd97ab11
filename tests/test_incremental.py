"""The build cache: a build from a warm cache is byte-identical to a clean build (after edits to
the text, an image, the layout, the language); damaged or foreign entries are rebuilt, never used;
an unwritable cache folder is one warning; a one-word edit re-breaks only its paragraph."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from booklet.build import build
from booklet.cache import Store
from booklet.cli import main
from booklet.fonts import bundled_font_path
from booklet.impose.writer import KeptImposition
from booklet.typeset import makeup
from booklet.typeset.linecache import LineCache
from booklet.typeset.pages import page_breaks
from corpus import booklet_with_own_layout, make_image
from pdftext import embedded_fonts



@pytest.fixture
def source(tmp_path: Path) -> Path:
    return booklet_with_own_layout(tmp_path / "zine", articles=2, words_per_article=500, photo_size=(900, 600))


def clean_build(source: Path, out: Path, cache: Path) -> tuple[bytes, bytes]:
    """A build in a new process with an empty cache folder: the reference."""
    return subprocess_build(source, out, cache, fresh=True)


def subprocess_build(source: Path, out: Path, cache: Path, fresh: bool = False) -> tuple[bytes, bytes]:
    if fresh:
        shutil.rmtree(cache, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-m", "booklet", "build", "-q", str(source), "-o", str(out)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=out)
    assert done.returncode == 0, done.stderr
    return pdfs(source, out)


def pdfs(source: Path, out: Path) -> tuple[bytes, bytes]:
    return (out / f"{source.name}-read.pdf").read_bytes(), (out / f"{source.name}-print.pdf").read_bytes()


def cli_build(source: Path, out: Path, cache: Path, monkeypatch) -> tuple[bytes, bytes]:
    """A build in this process (its fonts, hyphenators and word caches are warm) from the disk cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    out.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["build", "-q", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pdfs(source, out)


def edit_text(source: Path) -> None:
    article = source / "01-article.md"
    text = article.read_text()
    index = text.index(" the ", text.index("---", 4))
    article.write_text(text[:index] + " a " + text[index + 5:])


def edit_image(source: Path) -> None:
    make_image(source / "images" / "lead1.jpg", (900, 700), seed=12345)


def edit_layout(source: Path) -> None:
    layout = source / "mine.toml"
    layout.write_text(layout.read_text().replace("outer = 9", "outer = 12"))


def edit_language(source: Path) -> None:
    meta = source / "booklet.yaml"
    meta.write_text(meta.read_text().replace("language: en", "language: en-GB"))


def test_incremental_builds_equal_clean_builds(source: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "warm"
    first = cli_build(source, tmp_path / "out", cache, monkeypatch)
    assert first == clean_build(source, tmp_path / "clean", tmp_path / "empty")
    for edit in (edit_text, edit_image, edit_layout, edit_language):
        edit(source)
        incremental = cli_build(source, tmp_path / "out", cache, monkeypatch)
        assert incremental != first, f"{edit.__name__} changed nothing"
        assert incremental == clean_build(source, tmp_path / "clean", tmp_path / "empty"), edit.__name__
        first = incremental


def test_one_word_edit_breaks_only_its_paragraph(source: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    out.mkdir()
    lines = LineCache()  # in the process, as `booklet watch` keeps it
    build(source, out, lines=lines)
    assert lines.misses > 20 and lines.hits == 0
    lines.hits = lines.misses = 0
    edit_text(source)
    build(source, out, lines=lines)
    assert 1 <= lines.misses <= 3 and lines.hits > 20
    lines.hits = lines.misses = 0
    edit_layout(source)  # a new measure: every paragraph again
    build(source, out, lines=lines)
    fresh = LineCache()  # (a booklet made up again, its openings sunk a line lower, reuses its own lines)
    build(source, tmp_path / "fresh", lines=fresh)
    assert lines.hits == fresh.hits


def test_an_edit_breaks_only_its_articles_pages(source: Path, tmp_path: Path, monkeypatch) -> None:
    """Page breaks are kept like lines: after an edit to the first article that adds a line to
    it only its pages are broken again, and the PDF is the one a build without any cache makes.
    (A one-word edit may leave every line's height and break costs as they were: its article's
    pages are then kept too.)"""
    calls: list[int] = []

    def counted(items, frame, first_page, window=None):
        if window is None:  # an article's pages (a window breaks again some of them)
            calls.append(first_page)
        return page_breaks(items, frame, first_page, window)

    monkeypatch.setattr(makeup, "page_breaks", counted)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out, lines = tmp_path / "out", LineCache()
    build(source, out, lines=lines)
    articles = len(calls)
    assert articles >= 2
    calls.clear()
    sentence = " Another sentence of twelve words goes here to make the paragraph longer."
    _replace_in(source / "01-article.md", ".\n", "." + sentence + "\n")
    build(source, out, lines=lines)
    assert len(calls) == 1
    with_cache = pdfs(source, out)
    build(source, tmp_path / "uncached", lines=LineCache())
    assert with_cache == pdfs(source, tmp_path / "uncached")
    assert len(calls) == 1 + articles


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "zine"


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path.name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edits(zine: Path) -> list[tuple[str, Callable[[], None]]]:
    """Edits a writer makes, each on top of the last: a word late in an article, a character
    the booklet had never set (a new subset code: the pages after it are drawn again), a
    paragraph taken out (the pages after it move), a list item added, a new link, an article's
    lead photo replaced, the booklet's language changed and its layout (every page made again)."""
    third, first = zine / "03-mutual-aid.md", zine / "01-tool-library.md"
    last_paragraph = third.read_text(encoding="utf-8").strip().split("\n\n")[-2]
    return [
        ("a word", lambda: _replace_in(third, " the ", " a ")),
        ("a new character", lambda: _replace_in(third, " the ", " the Øresund ")),
        ("a paragraph out", lambda: _replace_in(third, last_paragraph + "\n\n", "")),
        ("a list item", lambda: _replace_in(first, "- **Decorating**", "- **Bicycles**\n- **Decorating**")),
        ("a link", lambda: _replace_in(first, " the ", " [the](https://example.org/a) ")),
        ("an image", lambda: make_image(zine / "images" / "print-shop.jpg", (900, 700), seed=4)),
        ("the language", lambda: _replace_in(zine / "booklet.yaml", "language: en", "language: en-GB")),
        ("the layout", lambda: _own_layout(zine, "leading = 12.4", "leading = 12.1")),
    ]


def _own_layout(zine: Path, old: str, new: str) -> None:
    """The booklet gets a layout file of its own: the bundled `pocket` with one value changed."""
    pocket = Path(__file__).resolve().parent.parent / "layouts" / "pocket.toml"
    (zine / "mine.toml").write_text(pocket.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _replace_in(zine / "booklet.yaml", "language:", "layout: mine.toml\nlanguage:")


def test_watch_rebuilds_reuse_drawn_pages_and_equal_clean_builds(tmp_path: Path, monkeypatch) -> None:
    """`booklet watch` keeps the pages it made and drew (document.py, drawn.py), and the reading
    PDF's objects it parsed and the page forms it wrote to impose it (writer.KeptImposition),
    and puts back those that did not change: after every kind of edit the PDFs are byte for
    byte those of a build that keeps nothing, and a small edit draws only a few pages again,
    parses few objects again and writes few page forms again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    zine = tmp_path / "zine"
    shutil.copytree(EXAMPLE, zine)
    out, lines, objects = tmp_path / "out", LineCache(), KeptImposition()
    build(zine, out, lines=lines, kept=objects)
    for name, edit in _edits(zine):
        edit()
        lines.drawn.reused = lines.drawn.drawn = 0
        objects.reused = objects.parsed = objects.forms_reused = objects.forms_written = 0
        build(zine, out, lines=lines, kept=objects)
        assert lines.drawn.reused > 0 or name in ("the language", "the layout"), name
        kept = pdfs(zine, out)
        build(zine, tmp_path / "fresh", lines=LineCache())
        assert kept == pdfs(zine, tmp_path / "fresh"), name
        if name == "a word":
            # drawn again: the edited page, and the pages always drawn (article openings,
            # figures, links, footnote calls); put back: all the others
            assert lines.drawn.reused >= 3 * lines.drawn.drawn
            assert objects.parsed < objects.reused / 10, (objects.reused, objects.parsed)
            assert objects.forms_written < objects.forms_reused / 3, (objects.forms_reused, objects.forms_written)


def damage(entry: Path, how: str, other: Path) -> None:
    data = entry.read_bytes()
    if how == "flipped":
        middle = len(data) // 2
        entry.write_bytes(data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1:])
    elif how == "truncated":
        entry.write_bytes(data[:len(data) // 2])
    else:  # foreign: a valid entry of another key, or a file the store did not write
        entry.write_bytes(other.read_bytes() if other != entry else b"\x00" * len(data))


@pytest.mark.parametrize("how", ["flipped", "truncated", "foreign"])
def test_damaged_cache_entries_are_rebuilt_not_used(source: Path, tmp_path: Path, how: str) -> None:
    cache = tmp_path / "cache"
    reference = clean_build(source, tmp_path / "clean", cache)
    entries = [p for p in (cache / "booklet").rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} >= {"images", "lines", "hyphenation", "fonts", "image-checks"}
    for index, entry in enumerate(entries):
        damage(entry, how, entries[(index + 1) % len(entries)])
    rebuilt = subprocess_build(source, tmp_path / "out", cache)
    assert embedded_pixels(rebuilt[0]) == embedded_pixels(reference[0])
    assert rebuilt == reference
    again = subprocess_build(source, tmp_path / "out", cache)  # the damaged entries were replaced
    assert again == reference


def embedded_pixels(pdf: bytes) -> list[bytes]:
    return [image.image.tobytes() for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def test_unwritable_cache_folder_is_one_warning(source: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker)}
    done = subprocess.run([sys.executable, "-m", "booklet", "build", "-q", str(source), "-o", str(out)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=out)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "cache folder" in line]
    assert len(warnings) == 1 and warnings[0].startswith("booklet: warning: "), done.stderr
    assert "Traceback" not in done.stderr
    assert pdfs(source, out) == clean_build(source, tmp_path / "clean", tmp_path / "empty")


def test_store_verifies_every_entry(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.write("kind", "key", b"payload")
    assert store.read("kind", "key") == b"payload"
    shutil.copy(tmp_path / "kind" / "key", tmp_path / "kind" / "other")
    assert store.read("kind", "other") is None  # a valid entry under another name is foreign
    assert store.read("kind", "missing") is None


def test_a_font_file_replaced_in_place_is_read_again(source: Path, tmp_path: Path, monkeypatch) -> None:
    """A font file of the booklet's own, overwritten with another face while `booklet watch`
    runs (the same path, new bytes): the rebuild embeds the new face, byte for byte as a new
    process with an empty cache does (regression: the process kept fonts by path)."""
    body = source / "fonts" / "Body.ttf"
    body.parent.mkdir()
    shutil.copyfile(bundled_font_path("CharisSIL-Regular.ttf"), body)
    _replace_in(source / "mine.toml", 'body = "Charis SIL"', 'body = "fonts/Body.ttf"')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out, lines = tmp_path / "out", LineCache()
    build(source, out, lines=lines)
    before = embedded_fonts(pdfs(source, out)[0])
    assert "CharisSIL" in before and "GentiumBookPlus" not in before
    shutil.copyfile(bundled_font_path("GentiumBookPlus-Regular.ttf"), body)
    build(source, out, lines=lines)
    after = pdfs(source, out)
    assert "GentiumBookPlus" in embedded_fonts(after[0]) and "CharisSIL" not in embedded_fonts(after[0])
    assert after == clean_build(source, tmp_path / "clean", tmp_path / "empty")
