"""Booklets written the way people write them (tests/user_booklets/NAME/): each one checks
clean, builds, and prints every word of its sources, in order, with nothing printed raw, all
of it inside the text block, and every footnote with the number of its call.

To add a case, drop a booklet folder (or a single .md file) into tests/user_booklets/. A file
`expected-warnings.txt` beside its sources lists, one regular expression a line, the warnings
`booklet check` may give for it (any other warning fails); lines starting with # are comments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from booklet.build import build, check, load_booklet
from booklet.model import (
    Article, CodeBlock, DefinitionList, Figure, Heading, Inline, ListBlock, Paragraph, Quote, Span, Table, iter_blocks,
)
from pdftext import MARKER, page_text

CORPUS = Path(__file__).resolve().parent / "user_booklets"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() or p.suffix == ".md") if CORPUS.is_dir() else []
RAW_MARKDOWN = ("|---", "|:--", "[^", "~~", "<!--", "-->", "[ ]", "[x]", "](", "<div", "<br")
"""Markdown syntax that must never reach the page (none of the corpus's text contains it)."""
TOLERANCE = 0.6  # points: glyph outlines may reach this far past their advance box
SHORT_NOTE_WORDS = 60


@dataclass(frozen=True)
class Built:
    source: Path
    booklet: object
    layout: object
    pages: list[str]  # each page's text in reading order
    path: Path
    article_pages: tuple[tuple[str, int], ...]


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.name)
def built(request, tmp_path_factory) -> Built:
    source: Path = request.param
    out = tmp_path_factory.mktemp(source.stem)
    result = build(source, out)
    booklet, layout = load_booklet(source)
    with pdfplumber.open(result.read_path) as pdf:
        pages = [page_text(page) for page in pdf.pages]
    return Built(source, booklet, layout, pages, result.read_path, result.article_pages)


def letters(text: str) -> str:
    """Letters and digits only, lower-cased: hyphenation, spacing and punctuation do not count."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return "".join(re.findall(r"[^\W_]+", text.lower()))


def inline_text(inlines: tuple[Inline, ...]) -> str:
    return " ".join(i.text for i in inlines if isinstance(i, Span))


def running_texts(article: Article) -> list[str]:
    """The article's text that is printed in reading order (not its tables, notes, captions)."""
    texts = [article.title or "", article.author or "", article.date or ""]

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, (Paragraph, Heading)):
                texts.append(inline_text(block.inlines))
            elif isinstance(block, CodeBlock):
                texts.append(block.text)
            elif isinstance(block, Quote):
                walk(block.blocks)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item)
            elif isinstance(block, DefinitionList):
                for definition in block.items:
                    texts.append(inline_text(definition.term))
                    for description in definition.descriptions:
                        walk(description)

    walk(article.blocks)
    return texts


def placed_texts(article: Article) -> list[str]:
    """Texts whose place may move (table cells read across rows, floating captions, notes):
    each must be printed, its own words in order."""
    texts = []
    for block in iter_blocks(article.blocks):
        if isinstance(block, Table):
            texts += [inline_text(cell) for row in (block.header, *block.rows) for cell in row]
        elif isinstance(block, Figure):
            texts.append(inline_text(block.caption))
    for note in article.notes:
        texts += [inline_text(b.inlines) for b in iter_blocks(note.blocks) if isinstance(b, Paragraph)]
    return texts


def find_in_order(stream: str, text: str, start: int = 0) -> int:
    """The position after `text`'s words found in order in `stream` from `start`, or -1."""
    position = start
    for word in re.findall(r"[^\W_]+", text.lower()):
        found = stream.find(letters(word), position)
        if found < 0:
            return -1
        position = found + len(letters(word))
    return position


def test_checks_without_errors_or_unexpected_warnings(built: Built):
    expected_file = (built.source if built.source.is_dir() else built.source.parent) / "expected-warnings.txt"
    expected = []
    if built.source.is_dir() and expected_file.is_file():
        expected = [line for line in expected_file.read_text(encoding="utf-8").splitlines()
                    if line.strip() and not line.startswith("#")]
    problems = check(built.source)
    assert not [p for p in problems if p.severity == "error"], problems
    unexpected = [str(p) for p in problems if not any(re.search(pattern, str(p)) for pattern in expected)]
    assert not unexpected


def test_every_word_is_printed_in_order(built: Built):
    stream = letters("\n".join(line for text in built.pages for line in text.splitlines()
                               if not MARKER.match(line.strip())))
    position = 0
    for article in built.booklet.articles:
        for text in running_texts(article):
            after = find_in_order(stream, text, position)
            assert after >= 0, f"lost or out of order: {text[:80]!r}"
            position = after
        for text in placed_texts(article):
            assert find_in_order(stream, text) >= 0, f"not printed: {text[:80]!r}"


def test_nothing_is_printed_raw(built: Built):
    for number, text in enumerate(built.pages, 1):
        for raw in RAW_MARKDOWN:
            assert raw not in text, f"page {number} prints {raw!r}"


def test_everything_stays_inside_the_text_block(built: Built):
    """Text, table rules, strike lines, task boxes and footnotes: within the margins
    (the page marker below them aside)."""
    layout = built.layout
    margins = layout.margins
    with pdfplumber.open(built.path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            left = margins.inner if number % 2 else margins.outer
            right = left + layout.text_width
            top, bottom = margins.top, margins.top + layout.text_height
            marker_top = page.height - layout.marker.baseline - layout.marker.size
            for char in page.chars:
                if not char["text"].strip() or char["top"] >= marker_top:
                    continue
                assert left - TOLERANCE <= char["x0"] and char["x1"] <= right + char["size"] * 0.6, \
                    f"page {number}: {char['text']!r} at x {char['x0']:.1f}–{char['x1']:.1f}"
                assert top - TOLERANCE <= char["top"] and char["bottom"] <= bottom + TOLERANCE + char["size"] * 0.3, \
                    f"page {number}: {char['text']!r} at y {char['top']:.1f}–{char['bottom']:.1f}"
            for shape in (*page.lines, *page.rects):
                if shape["height"] > page.height / 2 and shape["width"] > page.width / 2:
                    continue  # a full-page image's frame
                assert left - TOLERANCE <= shape["x0"] and shape["x1"] <= right + TOLERANCE, \
                    f"page {number}: a rule at x {shape['x0']:.1f}–{shape['x1']:.1f}"
                assert top - TOLERANCE <= shape["top"] and shape["bottom"] <= bottom + TOLERANCE, \
                    f"page {number}: a rule at y {shape['top']:.1f}–{shape['bottom']:.1f}"


def note_marks(page, label_size: float) -> tuple[list[int], list[int]]:
    """(calls, labels) on a page: numbers set raised and smaller than the letter before or
    after them; labels are those at the footnote style's mark size, in notes."""
    chars = [c for c in page.chars if c["text"].strip()]
    marks: list[tuple[int, dict]] = []
    for index, char in enumerate(chars):
        if not char["text"].isdigit():
            continue
        neighbours = [chars[i] for i in (index - 1, index + 1) if 0 <= i < len(chars)
                      and not chars[i]["text"].isdigit()]
        if any(n["size"] > char["size"] * 1.3 and char["bottom"] < n["bottom"] - n["size"] * 0.2 for n in neighbours):
            marks.append((index, char))
    numbers: list[tuple[str, float]] = []
    previous: tuple[int, dict] | None = None
    for index, char in marks:
        if previous is not None and index == previous[0] + 1 and previous[1]["size"] == char["size"] \
                and abs(previous[1]["x1"] - char["x0"]) < 0.5:
            numbers[-1] = (numbers[-1][0] + char["text"], char["size"])  # the next figure of a number
        else:
            numbers.append((char["text"], char["size"]))
        previous = (index, char)
    calls = [int(n) for n, size in numbers if abs(size - label_size) > 0.05]
    labels = [int(n) for n, size in numbers if abs(size - label_size) <= 0.05]
    return calls, labels


def test_footnote_numbers_match_their_notes(built: Built):
    """Per article the calls number 1, 2, 3 … in order and each note is printed once with
    its number; a note at the foot is on the page of its call (with `[notes] place = "foot"`),
    any other comes after the article's last call, at its end."""
    from booklet.typeset.notes import MARK_SIZE

    layout = built.layout
    label_size = layout.styles["footnote"].size * MARK_SIZE
    with pdfplumber.open(built.path) as pdf:
        marks = [note_marks(page, label_size) for page in pdf.pages]
    starts = [page for _, page in built.article_pages] + [len(marks) + 1]
    titled = [a for a in built.booklet.articles if a.title]
    for article, first, end in zip(titled, starts, starts[1:]):
        pages = range(first - 1, end - 1)
        calls = [(p, n) for p in pages for n in marks[p][0]]
        labels = [(p, n) for p in pages for n in marks[p][1]]
        firsts = list(dict.fromkeys(n for _, n in calls))
        assert firsts == list(range(1, len(article.notes) + 1)), f"{article.title}: calls {firsts}"
        assert sorted(n for _, n in labels) == list(range(1, len(article.notes) + 1)), \
            f"{article.title}: notes {labels}"
        last_call = max((p for p, _ in calls), default=first)
        words = {note.number: sum(len(inline_text(b.inlines).split()) for b in iter_blocks(note.blocks)
                                  if isinstance(b, Paragraph)) for note in article.notes}
        for page, number in labels:
            call_pages = [p for p, n in calls if n == number]
            if layout.notes.place == "foot" and page not in call_pages:
                # only a note too tall for a page's foot goes to the end (60 words are far below
                # [notes] max_share of any built-in layout's text block)
                assert words[number] > SHORT_NOTE_WORDS and page >= last_call, \
                    f"{article.title}: note {number} on page {page + 1}, called on {[p + 1 for p in call_pages]}"
            if layout.notes.place == "end":
                assert page >= last_call


def test_corpus_covers_what_people_write():
    """The corpus has each kind of Markdown this suite is about, so none is tested by nothing."""
    kinds: set[str] = set()
    for source in CASES:
        booklet, layout = load_booklet(source)
        kinds.add(f"notes at the {layout.notes.place}")
        for article in booklet.articles:
            kinds |= {"footnote"} if article.notes else set()
            for block in iter_blocks(article.blocks):
                kinds.add(type(block).__name__)
                if isinstance(block, ListBlock) and block.checks:
                    kinds.add("task list")
                spans = [s for s in getattr(block, "inlines", ()) if isinstance(s, Span)]
                if any(s.strike for s in spans):
                    kinds.add("strikethrough")
                if isinstance(block, Figure) and " " in block.image.name:
                    kinds.add("image path with spaces")
        text = "\n".join(p.read_text(encoding="utf-8") for p in
                         ([source] if source.is_file() else source.glob("*.md")))
        if "<!--" in text:
            kinds.add("HTML comment")
    wanted = {"Table", "footnote", "strikethrough", "task list", "DefinitionList", "HTML comment",
              "image path with spaces", "notes at the foot", "notes at the end"}
    assert wanted <= kinds, wanted - kinds
