"""Reading our PDFs back for assertions: words per page, the marker, the text as a word stream,
the fonts embedded."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

MARKER = re.compile(r"^←\s*(\d+)\s*→$")


def page_lines(pdf_path: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page: text lines as (text, x0, x1, top), top measured from the top edge in points."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines(return_chars=False)
            pages.append([(line["text"], line["x0"], line["x1"], line["top"]) for line in lines])
    return pages


def word_stream(text: str) -> list[str]:
    """Letters and digits only, lower-cased, hyphenation and punctuation gone: for fidelity checks."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "", text)  # a word hyphenated at a line end
    # a compound is one word on both sides, broken at its own hyphen or not ("студентов-" /
    # "программистов" reads back as one word, since a line-end hyphen cannot be told apart)
    text = re.sub(r"(?<=[^\W_])-(?=[^\W_])", "", text)
    return re.findall(r"[^\W_]+", text.lower())


def text_without_markers(pages_text: list[str]) -> str:
    """Page texts joined without their page-marker lines, so a word hyphenated across a
    page break joins up again."""
    lines = [line for text in pages_text for line in text.splitlines() if not MARKER.match(line.strip())]
    return "\n".join(lines)


def contains_in_order(haystack: list[str], needles: list[str]) -> int:
    """How many of `needles` are found in `haystack` in order (greedy subsequence match)."""
    found = 0
    position = 0
    for needle in needles:
        try:
            position = haystack.index(needle, position) + 1
        except ValueError:
            continue
        found += 1
    return found


def page_text(page) -> str:
    """A page's text in reading order, also for a page turned sideways (a wide table): its
    characters run up the page, each line of the table left of the next, and pdfplumber would
    read them backwards."""
    chars = [c for c in page.chars if c["text"].strip()]
    turned = [c for c in chars if _turned(c)]
    if not turned:
        return page.extract_text()
    lines: dict[float, list] = {}
    for char in turned:
        lines.setdefault(round(char["x0"] * 2) / 2, []).append(char)
    text = []
    for x in sorted(lines):
        line = sorted(lines[x], key=lambda c: -c["top"])
        words, previous = [], None
        for char in line:
            if previous is not None and previous["top"] - char["bottom"] > char["size"] * 0.15:
                words.append(" ")  # characters apart by more than a letter's spacing: a space
            words.append(char["text"])
            previous = char
        text.append("".join(words))
    upright = page.filter(lambda o: o.get("object_type") != "char" or not _turned(o)).extract_text()
    return "\n".join([*text, upright])


def _turned(char) -> bool:
    """Whether a character is set a quarter turn left (its text matrix is a 90° rotation)."""
    return char["matrix"][1] > 0.5 and char["matrix"][2] < -0.5



def embedded_fonts(pdf: Path | bytes) -> set[str]:
    """Base names of the fonts embedded in the PDF, without the subset prefix (every font its
    pages use must be embedded: a FontFile2 stream)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names
