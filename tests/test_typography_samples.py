"""The Ukrainian and Russian sample booklets (tests/samples) build with correct hyphenation."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from booklet.build import load_booklet
from booklet.hyphenate import hyphenator
from booklet.images import prepare_images
from booklet.model import Heading, Paragraph, Span, iter_blocks
from booklet.typeset.document import typeset
from pdftext import word_stream

SAMPLES = Path(__file__).parent / "samples"
HYPHENS = "-\u2010"


@pytest.fixture(scope="module", params=["uk", "ru"])
def sample(request, tmp_path_factory):
    booklet, layout = load_booklet(SAMPLES / request.param)
    images, _ = prepare_images(booklet, layout)
    result = typeset(booklet, layout, images)
    path = tmp_path_factory.mktemp(request.param) / "read.pdf"
    path.write_bytes(result.pdf)
    with pdfplumber.open(path) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    return request.param, booklet, layout, lines


def source_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md")))


def line_end_splits(lines: list[str], source: str) -> list[tuple[str, int]]:
    """(whole word, offset of the split) for every word divided at a line end by a hyphen
    the typesetter added; a break after a word's own hyphen (студентов-|программистов, as
    written in `source`) is not one."""
    splits = []
    for line, following in zip(lines, lines[1:]):
        words = line.split()
        if not words or not following.split():
            continue
        last = words[-1]
        if len(last) >= 2 and last[-1] in HYPHENS and last[-2].isalpha():
            head = last[:-1].split("-")[-1].lstrip("«„“(")
            tail = following.split()[0]
            tail_word = ""
            for ch in tail:
                if ch.isalpha() or ch in "'’ʼ":
                    tail_word += ch
                else:
                    break
            if f"{head}-{tail_word}" not in source:
                splits.append((head + tail_word, len(head)))
    return splits


def test_the_sample_is_set_in_its_language(sample):
    language, booklet, _, lines = sample
    assert booklet.metadata.language == language
    assert len(lines) > 60


def test_hyphenated_words_split_only_at_valid_pyphen_points(sample):
    language, _, layout, lines = sample
    h = hyphenator(language, layout.hyphenation)
    splits = line_end_splits(lines, source_text(SAMPLES / language))
    assert len(splits) >= 5, splits
    for word, offset in splits:
        assert offset in h.points(word), (word, offset, h.split(word))
        assert offset >= layout.hyphenation.min_before
        assert len(word) - offset >= layout.hyphenation.min_after
    # the letters ReportLab's own hyphenation hook gives up on are hyphenated like the rest
    special = {"uk": "іїєґІЇЄҐ’'ʼ", "ru": "ёЁйъь"}[language]
    assert any(set(word) & set(special) for word, _ in splits), splits


def test_every_word_survives_in_order(sample):
    _, booklet, _, lines = sample
    source: list[str] = []
    for article in booklet.articles:
        for block in iter_blocks(article.blocks):
            if isinstance(block, (Paragraph, Heading)):
                source += word_stream("".join(s.text for s in block.inlines if isinstance(s, Span)))
    printed = word_stream("\n".join(lines))
    position = 0
    for word in source:
        position = printed.index(word, position) + 1  # raises if a word is lost or out of order


def test_no_line_ends_with_a_one_letter_word(sample):
    # Ukrainian and Russian typography keeps a one-letter preposition or conjunction
    # (і, й, в, у, з, а, о, и, к, с) with the word after it
    _, _, _, lines = sample
    for line in lines[:-1]:
        words = line.split()
        if len(words) > 2:
            assert not (len(words[-1]) == 1 and words[-1].isalpha()), line


def test_unknown_language_builds_unhyphenated_with_a_warning(tmp_path):
    import shutil

    from booklet.preflight import preflight

    folder = tmp_path / "xx"
    shutil.copytree(SAMPLES / "uk", folder)
    meta = folder / "booklet.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("language: uk", "language: xx"), encoding="utf-8")
    booklet, layout = load_booklet(folder)
    warnings = [p for p in preflight(booklet, layout) if p.severity == "warning"]
    assert any("'xx'" in p.message and "hyphenat" in p.message for p in warnings)
    assert any(p.path == meta and p.line == 7 for p in warnings)
    images, _ = prepare_images(booklet, layout)
    path = tmp_path / "read.pdf"
    path.write_bytes(typeset(booklet, layout, images).pdf)
    with pdfplumber.open(path) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    assert not line_end_splits(lines, source_text(folder))
