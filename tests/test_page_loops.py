"""The page build always ends: headings kept with what follows never loop, and any loop that
places nothing stops with one line instead of spinning (regression: issue #14, the hang)."""

from __future__ import annotations

from io import BytesIO

import pdfplumber
import pytest
from reportlab.platypus import Flowable, Indenter

from booklet.build import load_booklet
from booklet.layouts import load_layout
from booklet.typeset.document import PageBuilderStuck, _BookletDocument, typeset
from building import time_limit
from pdftext import MARKER, word_stream

FILLER = "The press ran all night and we folded every sheet by hand before the sun came up. "


def page_texts(pdf: bytes) -> list[list[str]]:
    with pdfplumber.open(BytesIO(pdf)) as document:
        return [[line for line in (page.extract_text() or "").splitlines() if not MARKER.match(line.strip())]
                for page in document.pages]


SHAPES = {
    # the case: a list item ending in a heading, then a list with another marker
    "heading ends an item": "- first item words\n\n  ### Kept heading\n\n* next list item",
    "item is a heading": "- ### Kept heading\n+ next list item",
    "heading in a quote in an item": "- first item words\n\n  > ### Kept heading\n\n* next list item",
    "heading ends a nested item": "- first item words\n\n  - nested words\n\n    ### Kept heading\n\n* next list item",
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_a_heading_that_ends_a_list_item_travels_with_the_next_list(tmp_path, shape: str) -> None:
    """Fillers of every length put the list at every position at a page foot: each build ends,
    prints every word in order, and the heading never ends a page without the next item."""
    for sentences in range(13, 21):  # 16 to 18 put the list at the foot of page 2
        source = tmp_path / "loop.md"
        source.write_text(f"---\ntitle: Loop\n---\n# Article\n\n{FILLER * sentences}\n\n{shape}\n", encoding="utf-8")
        booklet, layout = load_booklet(source)
        with time_limit(20):
            result = typeset(booklet, layout, {})
        pages = page_texts(result.pdf)
        printed = word_stream("\n".join(line for page in pages[1:] for line in page))  # after the cover
        expected = word_stream(f"Article {FILLER * sentences} {shape}".replace("###", ""))
        assert printed[:len(expected)] == expected, sentences
        for page in pages:
            assert not (page and page[-1].endswith("Kept heading")), (sentences, page[-3:])


class _NeverPlaced(Flowable):
    """Too tall for any frame, and its split gives back an action and itself: Platypus would
    retry it for ever on the same page."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, available_height + 1

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return [Indenter(0, 0), self]


def test_a_layout_loop_that_places_nothing_stops_with_an_error() -> None:
    document = _BookletDocument(BytesIO(), load_layout("pocket"), "en")
    with time_limit(20), pytest.raises(PageBuilderStuck, match="without finishing it"):
        document.build([_NeverPlaced()])
