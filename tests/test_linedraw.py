"""Set lines → text operators: the same page content as ReportLab's text object writes."""

from __future__ import annotations

import gc
import random
import weakref
from io import BytesIO
from itertools import groupby

import pypdf
from reportlab.pdfgen.canvas import Canvas

from booklet.fonts import face_name
from booklet.layouts import load_layout
from booklet.typeset.linedraw import draw_line
from booklet.typeset.words import fragment

LAYOUT = load_layout("pocket")
REGULAR = face_name(LAYOUT.fonts["body"])
ITALIC = face_name(LAYOUT.fonts["body"], italic=True)
# Latin, Greek and Cyrillic letters: more than a subset's 256 codes, so lines switch subsets
LETTERS = [chr(code) for block in ((0x61, 0x7B), (0xC0, 0x149), (0x14A, 0x17F), (0x391, 0x3CA), (0x410, 0x450))
           for code in range(*block) if chr(code).isalpha()]


def lines(count: int = 60) -> list[tuple]:
    """(parts, scale, character space, word space) of lines in two faces and three sizes, some raised, each
    opening with six letters not seen before and going on with words seen before."""
    rng = random.Random(5)
    seen = ["the", "ink"]
    out = []
    for number in range(count):
        fresh = "".join(LETTERS[6 * number:6 * number + 6]) or "fold"
        parts = [fragment(fresh, REGULAR, 9.0, None)]
        for _ in range(rng.randint(0, 8)):
            font = rng.choice((REGULAR, REGULAR, ITALIC))
            size, rise = rng.choice(((9.0, 0.0), (9.0, 0.0), (5.5, 3.0), (10.5, 0.0)))
            parts.append((rng.choice((REGULAR, ITALIC)), 9.0, 2.25))
            parts.append(fragment(rng.choice(seen), font, size, None, rise))
        seen.append(fresh)
        out.append((tuple(parts), rng.choice((1.0, 0.985, 1.02)), rng.choice((0.0, 0.05, -0.08)),
                    rng.choice((0.0, 0.4, -0.3))))
    return out


def text_object_line(canvas: Canvas, parts, x: float, y: float, scale: float, char_space: float,
                     word_space: float) -> None:
    """The reference: ReportLab's text object, one setFont per change of face or size, one
    setRise per change of rise and one textOut per stretch between them."""
    text = canvas.beginText(x, y)
    if scale != 1.0:
        text.setHorizScale(scale * 100.0)
    if char_space:
        text.setCharSpace(char_space)
    if word_space:
        text.setWordSpace(word_space)
    font = size = None
    rise = 0.0
    styled = ((part.font, part.size, part.rise, part.text) if hasattr(part, "text") else (part[0], part[1], 0.0, " ")
              for part in parts)
    for (part_font, part_size, part_rise), stretch in groupby(styled, key=lambda part: part[:3]):
        if (part_font, part_size) != (font, size):
            font, size = part_font, part_size
            text.setFont(font, size)
        if part_rise != rise:
            rise = part_rise
            text.setRise(rise)
        text.textOut("".join(part[3] for part in stretch))
    if rise:
        text.setRise(0.0)
    if word_space:
        text.setWordSpace(0)
    if char_space:
        text.setCharSpace(0)
    if scale != 1.0:
        text.setHorizScale(100.0)
    canvas.drawText(text)


def page_contents(draw) -> list[bytes]:
    """The content streams of a two-page PDF whose lines `draw` draws."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 800), invariant=1, pageCompression=0)
    for page in range(2):
        for number, (parts, *spacing) in enumerate(lines()):
            draw(canvas, parts, 10.0 + page, 780.0 - 12.5 * number, *spacing)
        canvas.showPage()
    canvas.save()
    return [page.get_contents().get_data() for page in pypdf.PdfReader(BytesIO(buffer.getvalue())).pages]


def test_lines_are_written_as_the_text_object_writes_them():
    drawn = page_contents(draw_line)
    assert drawn == page_contents(text_object_line)
    assert b"+1 " in drawn[0] and b" Ts" in drawn[0]  # the lines did cross a subset and rise


def test_a_document_drawn_on_is_not_kept_alive():
    # booklet watch builds a document per save: the words' encodings must go with each one
    canvas = Canvas(BytesIO(), pagesize=(300, 800), invariant=1)
    parts, *spacing = lines(1)[0]
    draw_line(canvas, parts, 10.0, 700.0, *spacing)
    canvas.save()
    document = weakref.ref(canvas._doc)
    del canvas
    gc.collect()
    assert document() is None
