"""Nothing lost: every word of every test booklet's sources is in its reading PDF, in order.

Figures may float to the next page, so caption words are only required to be there. Words
come from the parsed model (metadata, titles, datelines, paragraphs, headings, lists, quotes,
code), compared letter by letter with the PDF's text so that hyphenation does not matter.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from booklet.build import load_booklet
from booklet.images import prepare_images
from booklet.model import CodeBlock, Figure, Heading, Paragraph, Span, iter_blocks
from booklet.starter import create_starter
from booklet.typeset.document import typeset
from pdftext import MARKER

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return re.findall(r"[^\W_]+", text.lower())


def source_words(booklet) -> tuple[list[str], list[str]]:
    """(words in reading order, caption words)."""
    meta = booklet.metadata
    ordered = words(" ".join(x for x in (meta.title, meta.subtitle, meta.author) if x))
    captions: list[str] = []
    for article in booklet.articles:
        ordered += words(" ".join(x for x in (article.title, article.author, article.date) if x))
        for block in iter_blocks(article.blocks):
            if isinstance(block, (Paragraph, Heading)):
                ordered += words("".join(s.text for s in block.inlines if isinstance(s, Span)))
            elif isinstance(block, CodeBlock):
                ordered += words(block.text)
            elif isinstance(block, Figure):
                captions += words("".join(s.text for s in block.caption if isinstance(s, Span)))
    return ordered, captions




@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("starter") / "starter"
    create_starter(folder)
    return folder


CASES = ["starter", "generated", *(f"examples/{p.name}" for p in sorted(EXAMPLES.iterdir())
                                   if p.is_dir() or p.suffix == ".md")] if EXAMPLES.is_dir() else ["starter", "generated"]


@pytest.mark.parametrize("name", CASES)
def test_every_source_word_is_printed_in_order(name: str, starter: Path, generated_booklet: Path,
                                               tmp_path: Path) -> None:
    source = {"starter": starter, "generated": generated_booklet}.get(name) or EXAMPLES.parent / name
    booklet, layout = load_booklet(source)
    images, _ = prepare_images(booklet, layout)
    result = typeset(booklet, layout, images)
    path = tmp_path / "read.pdf"
    path.write_bytes(result.pdf)
    caption_size = layout.styles["caption"].size
    with pdfplumber.open(path) as pdf:
        running, everything = [], []
        for page in pdf.pages:
            body = page.filter(lambda o: o.get("object_type") != "char" or abs(o["size"] - caption_size) > 0.01)
            running += [line for line in body.extract_text().splitlines() if not MARKER.match(line.strip())]
            everything += page.extract_text().splitlines()
    printed = "".join(words("\n".join(running)))
    printed_all = "".join(words("\n".join(everything)))
    ordered, captions = source_words(booklet)
    position = 0
    for word in ordered:
        found = printed.find(word, position)
        assert found >= 0, f"{name}: word lost or out of order: {word!r} (after {printed[max(0, position - 40):position]!r})"
        position = found + len(word)
    missing = [w for w in captions if w not in printed_all]
    assert not missing, f"{name}: caption words lost: {missing}"
